/**
 * Plausibility: values outside these adult ranges are typing or device errors, not patients, and are
 * refused at entry. Values inside them may still be abnormal; those are flagged (see abnormal.ts), never
 * refused. Ranges are in the canonical unit of each kind (see VITALS).
 *
 * Messages are shown to the nurse at the entry field. They name the measurement and the allowed range,
 * never the value itself, so they are safe to log or send as error text.
 */
import { VITALS, type VitalKind } from './vital-signs';

export type PlausibilityResult = { ok: true } | { ok: false; message: string };

export interface PlausibleRange {
  readonly min: number;
  readonly max: number;
  /** How the measurement is named in a sentence ("a heart rate"). */
  readonly noun: string;
  /** Unit as the nurse reads it. */
  readonly unitLabel: string;
}

/**
 * Plausible adult ranges. Heart rate, BP, SpO2, temperature, respiratory rate, weight, height and glucose
 * are the product's clinical ranges; MAP, BMI, pain and oxygen flow follow from them or from their scales.
 */
export const PLAUSIBLE_RANGES: Readonly<Record<VitalKind, PlausibleRange>> = {
  heartRate: { min: 20, max: 300, noun: 'A heart rate', unitLabel: '/min' },
  respiratoryRate: { min: 2, max: 80, noun: 'A respiratory rate', unitLabel: '/min' },
  spo2: { min: 50, max: 100, noun: 'An oxygen saturation', unitLabel: '%' },
  bodyTemperature: { min: 25, max: 45, noun: 'A body temperature', unitLabel: '°C' },
  systolic: { min: 40, max: 300, noun: 'A systolic pressure', unitLabel: 'mmHg' },
  diastolic: { min: 20, max: 200, noun: 'A diastolic pressure', unitLabel: 'mmHg' },
  // MAP lies between diastolic and systolic, so it is bounded by their extremes.
  meanArterialPressure: { min: 20, max: 300, noun: 'A mean arterial pressure', unitLabel: 'mmHg' },
  bodyWeight: { min: 0.3, max: 500, noun: 'A body weight', unitLabel: 'kg' },
  bodyHeight: { min: 20, max: 260, noun: 'A body height', unitLabel: 'cm' },
  // The widest BMI the weight and height ranges can produce for an adult-sized body; beyond is a typo.
  bmi: { min: 5, max: 250, noun: 'A body mass index', unitLabel: 'kg/m²' },
  glucose: { min: 10, max: 1000, noun: 'A blood glucose', unitLabel: 'mg/dL' },
  painScore: { min: 0, max: 10, noun: 'A pain score', unitLabel: '/10' },
  // High-flow nasal cannula tops out at 60 L/min.
  inhaledOxygenFlow: { min: 0, max: 60, noun: 'An oxygen flow', unitLabel: 'L/min' },
};

function formatBound(n: number): string {
  return String(n);
}

/** Whether a single value (canonical unit) is a possible adult measurement. */
export function checkPlausible(kind: VitalKind, value: number): PlausibilityResult {
  const range = PLAUSIBLE_RANGES[kind];
  const allowed = `allowed ${formatBound(range.min)}–${formatBound(range.max)} ${range.unitLabel}`;
  if (!Number.isFinite(value)) {
    return { ok: false, message: `${range.noun} must be a number; check the entry (${allowed}).` };
  }
  if (kind === 'painScore' && !Number.isInteger(value)) {
    return { ok: false, message: `A pain score is a whole number; check the entry (${allowed}).` };
  }
  if (value < range.min || value > range.max) {
    // "This heart rate is too high to be possible": says which way it is wrong without repeating it.
    const subject = range.noun.replace(/^An? /, 'This ');
    return {
      ok: false,
      message: `${subject} is too ${value < range.min ? 'low' : 'high'} to be possible; check the entry (${allowed}).`,
    };
  }
  return { ok: true };
}

/** A blood pressure: each side plausible, and the diastolic below the systolic. */
export function checkBloodPressure(systolic: number, diastolic: number): PlausibilityResult {
  const sys = checkPlausible('systolic', systolic);
  if (!sys.ok) return sys;
  const dia = checkPlausible('diastolic', diastolic);
  if (!dia.ok) return dia;
  if (diastolic >= systolic) {
    return {
      ok: false,
      message:
        'The diastolic pressure must be lower than the systolic pressure; check that the two were not swapped.',
    };
  }
  return { ok: true };
}

/** The catalogue name of a kind, for messages that list several. */
export function vitalName(kind: VitalKind): string {
  return VITALS[kind].display;
}
