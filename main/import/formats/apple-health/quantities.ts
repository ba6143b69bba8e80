/**
 * Apple Health quantity types we import, and the units Apple writes for them (HKUnit unit strings as they
 * appear in export.xml). A unit not listed here is reported, never guessed.
 */
import { toCanonical } from '../../../../shared/clinical/units';
import type { HomeMeasure } from '../../../../shared/home-data/record';

type Convert = (value: number) => number;

const same: Convert = (v) => v;
const round = (v: number, decimals: number): number => Math.round(v * 10 ** decimals) / 10 ** decimals;

export interface QuantityType {
  measure: HomeMeasure;
  units: Readonly<Record<string, Convert>>;
  /** Plausible range in the canonical unit; outside it the value is reported, not imported. */
  range: readonly [number, number];
}

const perMinute = { 'count/min': same };

/** Apple writes blood glucose in molar units with the molar mass it used: "mmol<180.1558800000541>/L". */
const MOLAR_GLUCOSE = /^mmol<(\d+(?:\.\d+)?)>\/L$/;

export function glucoseConversion(unit: string): Convert | undefined {
  if (unit === 'mg/dL') return same;
  if (unit === 'mmol/L') return (v) => round(toCanonical('glucose', v, 'mmol/L'), 1);
  const m = MOLAR_GLUCOSE.exec(unit);
  if (!m) return undefined;
  const molarMass = Number(m[1]);
  // mmol/L × g/mol = mg/L; ÷ 10 → mg/dL. A molar mass far from glucose's (180.16) is not glucose.
  if (!(molarMass > 170 && molarMass < 190)) return undefined;
  return (v) => round((v * molarMass) / 10, 1);
}

export const QUANTITY_TYPES: Readonly<Record<string, QuantityType>> = {
  HKQuantityTypeIdentifierHeartRate: { measure: 'heartRate', units: perMinute, range: [20, 300] },
  HKQuantityTypeIdentifierRestingHeartRate: {
    measure: 'restingHeartRate',
    units: perMinute,
    range: [20, 250],
  },
  HKQuantityTypeIdentifierRespiratoryRate: { measure: 'respiratoryRate', units: perMinute, range: [2, 80] },
  HKQuantityTypeIdentifierOxygenSaturation: {
    measure: 'spo2',
    // HealthKit's percent unit is a fraction: 0.97 is 97 %.
    units: { '%': (v) => round(v * 100, 1) },
    range: [50, 100],
  },
  HKQuantityTypeIdentifierBodyTemperature: {
    measure: 'bodyTemperature',
    units: { degC: same, degF: (v) => round(toCanonical('bodyTemperature', v, '[degF]'), 2) },
    range: [30, 45],
  },
  HKQuantityTypeIdentifierBodyMass: {
    measure: 'bodyWeight',
    units: {
      kg: same,
      g: (v) => v / 1000,
      lb: (v) => round(toCanonical('bodyWeight', v, '[lb_av]'), 3),
      st: (v) => round(v * 6.35029318, 3),
    },
    range: [0.5, 400],
  },
  HKQuantityTypeIdentifierHeight: {
    measure: 'bodyHeight',
    units: {
      cm: same,
      m: (v) => round(v * 100, 2),
      mm: (v) => v / 10,
      in: (v) => round(toCanonical('bodyHeight', v, '[in_i]'), 2),
      ft: (v) => round(v * 30.48, 2),
    },
    range: [30, 250],
  },
};

export const BLOOD_GLUCOSE = 'HKQuantityTypeIdentifierBloodGlucose';
export const GLUCOSE_RANGE: readonly [number, number] = [10, 1000];
export const SYSTOLIC = 'HKQuantityTypeIdentifierBloodPressureSystolic';
export const DIASTOLIC = 'HKQuantityTypeIdentifierBloodPressureDiastolic';
export const BLOOD_PRESSURE = 'HKCorrelationTypeIdentifierBloodPressure';
export const STEP_COUNT = 'HKQuantityTypeIdentifierStepCount';
export const SLEEP = 'HKCategoryTypeIdentifierSleepAnalysis';

export function pressureConversion(unit: string): Convert | undefined {
  if (unit === 'mmHg') return same;
  if (unit === 'kPa') return (v) => round(toCanonical('systolic', v, 'kPa'), 1);
  return undefined;
}

/** Sleep stages that count as asleep (in bed and awake do not). */
export const ASLEEP_VALUES: ReadonlySet<string> = new Set([
  'HKCategoryValueSleepAnalysisAsleep',
  'HKCategoryValueSleepAnalysisAsleepUnspecified',
  'HKCategoryValueSleepAnalysisAsleepCore',
  'HKCategoryValueSleepAnalysisAsleepDeep',
  'HKCategoryValueSleepAnalysisAsleepREM',
]);

export const WANTED_RECORD_TYPES: ReadonlySet<string> = new Set([
  ...Object.keys(QUANTITY_TYPES),
  BLOOD_GLUCOSE,
  SYSTOLIC,
  DIASTOLIC,
  STEP_COUNT,
  SLEEP,
]);

export const MEASURE_WORDS: Readonly<Record<HomeMeasure, string>> = {
  heartRate: 'heart rate',
  restingHeartRate: 'resting heart rate',
  bloodPressure: 'blood pressure',
  spo2: 'oxygen saturation',
  respiratoryRate: 'respiratory rate',
  bodyTemperature: 'body temperature',
  bodyWeight: 'body weight',
  bodyHeight: 'height',
  glucose: 'blood glucose',
  steps: 'steps',
  sleep: 'sleep',
};
