/**
 * What a BLE profile's measurement becomes before the connector adds provenance: values in the
 * canonical UCUM unit of each vital, words about the measurement, and the device's own time if sent.
 */
import { checkBloodPressure, checkPlausible, PLAUSIBLE_RANGES } from '../../../shared/clinical/plausibility';
import { VITALS, type VitalKind } from '../../../shared/clinical/vital-signs';
import type { ReadingValue } from '../../../shared/devices/reading';
import { parseFailure, parsed, type ParseResult } from '../parse-result';
import type { Ieee11073Number } from '../ieee11073';

export interface MeasuredValues {
  values: ReadingValue[];
  notes: string[];
  /** The device's wall-clock time of measurement, when it sent one that is known. */
  measuredAt?: Date;
  /** Shared cuffs and scales: the User ID the device sent (0xFF: unknown user). */
  userId?: number;
}

const SPECIAL_MESSAGES: Record<string, string> = {
  NaN: 'The device sent no value for this measurement.',
  NRes: 'The device could not resolve this measurement.',
  '+INF': 'The device reported this measurement as too high to measure.',
  '-INF': 'The device reported this measurement as too low to measure.',
  reserved: 'The device sent an invalid value for this measurement.',
};

/** The number inside an IEEE 11073 value, or a SPECIAL_VALUE error naming what the device meant. */
export function numberOf(n: Ieee11073Number): ParseResult<number> {
  if (n.kind === 'number') return parsed(n.value);
  return parseFailure('SPECIAL_VALUE', SPECIAL_MESSAGES[n.special] ?? SPECIAL_MESSAGES.reserved!);
}

/** Inside the plausible range: the common case, checked without building the refusal sentence. */
function inRange(kind: VitalKind, value: number): boolean {
  const range = PLAUSIBLE_RANGES[kind];
  return value >= range.min && value <= range.max && (kind !== 'painScore' || Number.isInteger(value));
}

/** A canonical-unit value checked against the plausible adult range (DOMAIN.md); OUT_OF_RANGE otherwise. */
export function plausibleValue(kind: VitalKind, canonicalValue: number): ParseResult<ReadingValue> {
  if (!inRange(kind, canonicalValue)) {
    // The shared rule decides and words the refusal; the fast path above only ever accepts what it accepts.
    const check = checkPlausible(kind, canonicalValue);
    if (!check.ok) return parseFailure('OUT_OF_RANGE', check.message);
  }
  return parsed({ kind, value: canonicalValue, unit: VITALS[kind].unit });
}

/** A systolic/diastolic pair: each plausible and the diastolic below the systolic. */
export function plausiblePressures(systolic: number, diastolic: number): ParseResult<true> {
  if (!(inRange('systolic', systolic) && inRange('diastolic', diastolic) && diastolic < systolic)) {
    const check = checkBloodPressure(systolic, diastolic);
    if (!check.ok) return parseFailure('OUT_OF_RANGE', check.message);
  }
  return parsed(true);
}

/**
 * Keeps float noise from unit conversions out of stored values: rounded to 1e-9 of the unit, far
 * below any device's resolution (values here are below 10⁶, so the scaled number stays an exact integer).
 */
export function tidy(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
