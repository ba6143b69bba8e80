/**
 * The vital signs Vitals Desk records, with their LOINC codes and canonical UCUM units
 * (FHIR R4 vital-signs profile, http://hl7.org/fhir/R4/observation-vitalsigns.html).
 * Every stored value is in the canonical unit; other units are display/entry conversions.
 */
import { z } from 'zod';

export const vitalKindSchema = z.enum([
  'heartRate',
  'respiratoryRate',
  'spo2',
  'bodyTemperature',
  'systolic',
  'diastolic',
  'meanArterialPressure',
  'bodyWeight',
  'bodyHeight',
  'bmi',
  'glucose',
  'painScore',
  'inhaledOxygenFlow',
]);
export type VitalKind = z.infer<typeof vitalKindSchema>;

export interface VitalDefinition {
  readonly kind: VitalKind;
  readonly loinc: string;
  readonly display: string;
  /** Canonical UCUM unit: what is stored and sent over FHIR. */
  readonly unit: string;
  /** Human-readable form of the canonical unit. */
  readonly unitLabel: string;
}

export const VITALS: Readonly<Record<VitalKind, VitalDefinition>> = {
  heartRate: { kind: 'heartRate', loinc: '8867-4', display: 'Heart rate', unit: '/min', unitLabel: 'bpm' },
  respiratoryRate: {
    kind: 'respiratoryRate',
    loinc: '9279-1',
    display: 'Respiratory rate',
    unit: '/min',
    unitLabel: 'breaths/min',
  },
  spo2: { kind: 'spo2', loinc: '59408-5', display: 'Oxygen saturation (SpO₂)', unit: '%', unitLabel: '%' },
  bodyTemperature: {
    kind: 'bodyTemperature',
    loinc: '8310-5',
    display: 'Body temperature',
    unit: 'Cel',
    unitLabel: '°C',
  },
  systolic: {
    kind: 'systolic',
    loinc: '8480-6',
    display: 'Systolic blood pressure',
    unit: 'mm[Hg]',
    unitLabel: 'mmHg',
  },
  diastolic: {
    kind: 'diastolic',
    loinc: '8462-4',
    display: 'Diastolic blood pressure',
    unit: 'mm[Hg]',
    unitLabel: 'mmHg',
  },
  meanArterialPressure: {
    kind: 'meanArterialPressure',
    loinc: '8478-0',
    display: 'Mean arterial pressure',
    unit: 'mm[Hg]',
    unitLabel: 'mmHg',
  },
  bodyWeight: { kind: 'bodyWeight', loinc: '29463-7', display: 'Body weight', unit: 'kg', unitLabel: 'kg' },
  bodyHeight: { kind: 'bodyHeight', loinc: '8302-2', display: 'Body height', unit: 'cm', unitLabel: 'cm' },
  bmi: { kind: 'bmi', loinc: '39156-5', display: 'Body mass index', unit: 'kg/m2', unitLabel: 'kg/m²' },
  // 41653-7: Glucose [Mass/volume] in Capillary blood by Glucometer (LOINC). Stored in mg/dL.
  glucose: {
    kind: 'glucose',
    loinc: '41653-7',
    display: 'Blood glucose (glucometer)',
    unit: 'mg/dL',
    unitLabel: 'mg/dL',
  },
  painScore: {
    kind: 'painScore',
    loinc: '72514-3',
    display: 'Pain severity (0–10)',
    unit: '{score}',
    unitLabel: '/10',
  },
  inhaledOxygenFlow: {
    kind: 'inhaledOxygenFlow',
    loinc: '3151-8',
    display: 'Inhaled oxygen flow rate',
    unit: 'L/min',
    unitLabel: 'L/min',
  },
};

/**
 * Level of consciousness on the NEWS2 ACVPU scale (RCP NEWS2 2017, chart 1): a coded observation,
 * not a quantity. LOINC 80288-4 "Level of consciousness AVPU" as used by FHIR vital-signs
 * implementations for NEWS2; ACVPU adds C (new confusion) to AVPU.
 */
export const consciousnessLevelSchema = z.enum(['A', 'C', 'V', 'P', 'U']);
export type ConsciousnessLevel = z.infer<typeof consciousnessLevelSchema>;

export const CONSCIOUSNESS = {
  kind: 'consciousness',
  loinc: '80288-4',
  display: 'Level of consciousness (ACVPU)',
  answers: {
    A: 'Alert',
    C: 'New confusion',
    V: 'Responds to voice',
    P: 'Responds to pain',
    U: 'Unresponsive',
  } satisfies Record<ConsciousnessLevel, string>,
} as const;

/** Panels: a blood pressure is one observation with components. */
export const PANELS = {
  vitalSigns: { loinc: '85353-1', display: 'Vital signs panel' },
  bloodPressure: { loinc: '85354-9', display: 'Blood pressure panel' },
} as const;

export const vitalByLoinc: ReadonlyMap<string, VitalDefinition> = new Map(
  Object.values(VITALS).map((v) => [v.loinc, v]),
);
