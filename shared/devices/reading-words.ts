/**
 * A device reading's values in words, the same on the card, in the chooser and in the confirmation a
 * screen reader announces: "122/78 mmHg, 64 /min".
 */
import { formatVital, roundTo, unitOptions } from '../clinical/units';
import type { ReadingValue } from './reading';

/**
 * One value as shown: to the decimals the device measured it to when it said (a 0.05 kg scale: "72.35
 * kg"), else to the vital's usual precision.
 */
export function readingValueText(v: ReadingValue): string {
  const { label, decimals: usual } = unitOptions(v.kind)[0]!;
  const decimals = v.decimals ?? usual;
  return `${roundTo(v.value, decimals).toFixed(decimals)} ${label}`;
}

/** Shown as part of another value (MAP with the pressure pair) or derived (BMI): not listed on their own. */
const NOT_LISTED = new Set(['meanArterialPressure', 'bmi', 'inhaledOxygenFlow']);

export function readingValuesText(values: readonly ReadingValue[]): string {
  const byKind = new Map(values.map((v) => [v.kind, v.value]));
  const sys = byKind.get('systolic');
  const dia = byKind.get('diastolic');
  const parts: string[] = [];
  if (sys !== undefined && dia !== undefined)
    parts.push(`${Math.round(sys)}/${formatVital('diastolic', dia)}`);
  for (const v of values) {
    if (v.kind === 'systolic' || v.kind === 'diastolic' || NOT_LISTED.has(v.kind)) continue;
    parts.push(readingValueText(v));
  }
  return parts.join(', ');
}
