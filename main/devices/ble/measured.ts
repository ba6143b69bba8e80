/**
 * What a BLE profile's measurement becomes before the connector adds provenance: values in the
 * canonical UCUM unit of each vital, words about the measurement, and the device's own time if sent.
 */
import { checkPlausible } from '../../../shared/clinical/plausibility';
import { VITALS, type VitalKind } from '../../../shared/clinical/vital-signs';
import type { ReadingValue } from '../../../shared/devices/reading';
import { parseFailure, parsed, type ParseResult } from '../parse-result';
import type { Ieee11073Number } from '../ieee11073';

export interface MeasuredValues {
  values: ReadingValue[];
  notes: string[];
  /** The device's wall-clock time of measurement, when it sent one that is known. */
  measuredAt?: Date;
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

/** A canonical-unit value checked against the plausible adult range (DOMAIN.md); OUT_OF_RANGE otherwise. */
export function plausibleValue(kind: VitalKind, canonicalValue: number): ParseResult<ReadingValue> {
  const check = checkPlausible(kind, canonicalValue);
  if (!check.ok) return parseFailure('OUT_OF_RANGE', check.message);
  return parsed({ kind, value: canonicalValue, unit: VITALS[kind].unit });
}

/** Keeps float noise from unit conversions out of stored values (12 significant digits is far beyond any device). */
export function tidy(value: number): number {
  return Number(value.toPrecision(12));
}
