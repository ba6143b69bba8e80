/**
 * A device reading's values in words, the same on the card, in the chooser and in the confirmation a
 * screen reader announces: "122/78 mmHg, 64 /min".
 */
import { formatVital } from '../clinical/units';
import type { ReadingValue } from './reading';

/** Shown as part of another value (MAP with the pressure pair) or derived (BMI): not listed on their own. */
const NOT_LISTED = new Set(['meanArterialPressure', 'bmi', 'inhaledOxygenFlow']);

export function readingValuesText(values: readonly ReadingValue[]): string {
  const byKind = new Map(values.map((v) => [v.kind, v.value]));
  const sys = byKind.get('systolic');
  const dia = byKind.get('diastolic');
  const parts: string[] = [];
  if (sys !== undefined && dia !== undefined)
    parts.push(`${Math.round(sys)}/${formatVital('diastolic', dia)}`);
  for (const { kind, value } of values) {
    if (kind === 'systolic' || kind === 'diastolic' || NOT_LISTED.has(kind)) continue;
    parts.push(formatVital(kind, value));
  }
  return parts.join(', ');
}
