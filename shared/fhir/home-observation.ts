/**
 * A patient-generated (home) value as a FHIR R4 Observation, for sync to the care team's server. It is
 * told apart from the clinic's measurements in three ways a server or a reader can check:
 * - `performer` is the Patient (R4 Observation.performer allows Patient: "who is responsible for the
 *   observation"), where the clinic's name the staff member;
 * - `meta.tag` carries `patient-generated` in this app's data-origin system (R4 has no core code for
 *   patient-generated data; a tag travels with the resource and is searchable with `_tag`);
 * - `device.display` names the source device as the export did (a contained Device would need an
 *   identity the export rarely gives).
 * Codes and units follow the vital-signs profile where one applies (heart rate, respiratory rate,
 * SpO2, temperature, weight, height, blood pressure panel); glucose, steps and sleep use their LOINC
 * codes with category `laboratory` (glucose) or `activity`. Pure.
 */
import type { Observation, ObservationComponent } from '@medplum/fhirtypes';
import { PANELS, VITALS } from '../clinical/vital-signs';
import { HOME_MEASURE_UNITS, type HomeImportFormat, type HomeMeasure } from '../home-data/record';
import { LOINC_SYSTEM, OBSERVATION_CATEGORY_SYSTEM, UCUM_SYSTEM } from './identifiers';

export const DATA_ORIGIN_SYSTEM = 'urn:vitals-desk:data-origin';
export const PATIENT_GENERATED_TAG = {
  system: DATA_ORIGIN_SYSTEM,
  code: 'patient-generated',
  display: 'Patient-generated (home data)',
} as const;
/** Identity of a home value on the server: stable across re-sends, so a retry never creates it twice. */
export const HOME_OBSERVATION_SYSTEM = 'urn:vitals-desk:home-observation';

const R4 = 'http://hl7.org/fhir/StructureDefinition/';

interface MeasureCoding {
  code: string;
  display: string;
  category: 'vital-signs' | 'laboratory' | 'activity';
  profile?: string;
}

const CODING: Readonly<Record<HomeMeasure, MeasureCoding>> = {
  heartRate: {
    code: VITALS.heartRate.loinc,
    display: 'Heart rate',
    category: 'vital-signs',
    profile: 'heartrate',
  },
  restingHeartRate: { code: '40443-4', display: 'Heart rate --resting', category: 'vital-signs' },
  bloodPressure: {
    code: PANELS.bloodPressure.loinc,
    display: 'Blood pressure panel with all children optional',
    category: 'vital-signs',
    profile: 'bp',
  },
  // The oxygensat profile fixes 2708-6.
  spo2: {
    code: '2708-6',
    display: 'Oxygen saturation in Arterial blood',
    category: 'vital-signs',
    profile: 'oxygensat',
  },
  respiratoryRate: {
    code: VITALS.respiratoryRate.loinc,
    display: 'Respiratory rate',
    category: 'vital-signs',
    profile: 'resprate',
  },
  bodyTemperature: {
    code: VITALS.bodyTemperature.loinc,
    display: 'Body temperature',
    category: 'vital-signs',
    profile: 'bodytemp',
  },
  bodyWeight: {
    code: VITALS.bodyWeight.loinc,
    display: 'Body weight',
    category: 'vital-signs',
    profile: 'bodyweight',
  },
  bodyHeight: {
    code: VITALS.bodyHeight.loinc,
    display: 'Body height',
    category: 'vital-signs',
    profile: 'bodyheight',
  },
  // Not the desk glucometer's capillary code (41653-7): a home value may come from a CGM or any meter.
  glucose: { code: '2339-0', display: 'Glucose [Mass/volume] in Blood', category: 'laboratory' },
  steps: { code: '41950-7', display: 'Number of steps in 24 hour Measured', category: 'activity' },
  sleep: { code: '93832-4', display: 'Sleep duration', category: 'activity' },
};

/** UCUM display words for the canonical units. */
const UNIT_TEXT: Readonly<Record<string, string>> = {
  '/min': '/min',
  'mm[Hg]': 'mmHg',
  '%': '%',
  Cel: 'Cel',
  kg: 'kg',
  cm: 'cm',
  'mg/dL': 'mg/dL',
  '/d': '/d',
  h: 'h',
};

export interface HomeObservationRecord {
  /** The stored row's id: the server identifier's value. */
  id: string;
  format: HomeImportFormat;
  measure: HomeMeasure;
  value: number;
  diastolic: number | null;
  effectiveStart: string;
  effectiveEnd: string | null;
  beyondRange: 'below' | 'above' | null;
  sourceName: string | null;
  device: string | null;
}

const quantity = (value: number, unit: string) => ({
  value,
  unit: UNIT_TEXT[unit] ?? unit,
  system: UCUM_SYSTEM,
  code: unit,
});

/** `patient`: a reference the bundle resolves (e.g. `Patient/123` or a `urn:uuid:`). */
export function homeObservationToFhir(
  record: HomeObservationRecord,
  patient: { reference: string },
): Observation {
  const coding = CODING[record.measure];
  const unit = HOME_MEASURE_UNITS[record.measure];
  const components: ObservationComponent[] =
    record.measure === 'bloodPressure' && record.diastolic !== null
      ? [
          {
            code: {
              coding: [
                { system: LOINC_SYSTEM, code: VITALS.systolic.loinc, display: VITALS.systolic.display },
              ],
              text: VITALS.systolic.display,
            },
            valueQuantity: quantity(record.value, unit),
          },
          {
            code: {
              coding: [
                { system: LOINC_SYSTEM, code: VITALS.diastolic.loinc, display: VITALS.diastolic.display },
              ],
              text: VITALS.diastolic.display,
            },
            valueQuantity: quantity(record.diastolic, unit),
          },
        ]
      : [];
  const source = [record.sourceName, record.device].filter(Boolean).join(' · ');
  return {
    resourceType: 'Observation',
    meta: {
      tag: [PATIENT_GENERATED_TAG],
      ...(coding.profile ? { profile: [`${R4}${coding.profile}`] } : {}),
    },
    identifier: [{ system: HOME_OBSERVATION_SYSTEM, value: record.id }],
    status: 'final',
    category: [
      {
        coding: [
          {
            system: OBSERVATION_CATEGORY_SYSTEM,
            code: coding.category,
            display:
              coding.category === 'vital-signs'
                ? 'Vital Signs'
                : coding.category === 'laboratory'
                  ? 'Laboratory'
                  : 'Activity',
          },
        ],
      },
    ],
    code: {
      coding: [{ system: LOINC_SYSTEM, code: coding.code, display: coding.display }],
      text: coding.display,
    },
    subject: patient,
    performer: [patient],
    ...(record.effectiveEnd
      ? { effectivePeriod: { start: record.effectiveStart, end: record.effectiveEnd } }
      : { effectiveDateTime: record.effectiveStart }),
    ...(components.length > 0 ? { component: components } : { valueQuantity: quantity(record.value, unit) }),
    // A CGM's "Low"/"High": the value is the sensor's limit, the true value lies beyond it.
    ...(record.beyondRange
      ? {
          interpretation: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
                  code: record.beyondRange === 'below' ? '<' : '>',
                  display: record.beyondRange === 'below' ? 'Off scale low' : 'Off scale high',
                },
              ],
            },
          ],
        }
      : {}),
    ...(record.device ? { device: { display: record.device } } : {}),
    ...(source ? { note: [{ text: `Patient-generated, from ${source} (${record.format} export)` }] } : {}),
  };
}
