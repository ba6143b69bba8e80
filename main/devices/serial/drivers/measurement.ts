/**
 * Turns a driver's decoded values into a measurement output, refusing any value a person cannot have
 * (DOMAIN.md plausible ranges): such a value is a sensor fault and must never reach the nurse as a reading.
 */
import { VITALS, type VitalKind } from '../../../../shared/clinical/vital-signs';
import { checkPlausible, PLAUSIBLE_RANGES } from '../../../../shared/clinical/plausibility';
import type { SignalQuality } from '../../../../shared/devices/reading';
import type { DriverOutput } from './types';

export function measurementOf(
  entries: ReadonlyArray<readonly [VitalKind, number]>,
  notes: string[],
  signalQuality?: SignalQuality,
): DriverOutput {
  const values = [];
  for (const [kind, value] of entries) {
    const range = PLAUSIBLE_RANGES[kind];
    // In range: accepted without building the refusal sentence (this runs for every frame).
    const inRange = value >= range.min && value <= range.max;
    const plausible = inRange ? { ok: true as const } : checkPlausible(kind, value);
    if (!plausible.ok) {
      // The plausibility sentence names the range, never the value: safe to log.
      return { type: 'problem', error: { code: 'OUT_OF_RANGE', message: plausible.message } };
    }
    values.push({ kind, value, unit: VITALS[kind].unit });
  }
  return signalQuality === undefined
    ? { type: 'measurement', values, notes }
    : { type: 'measurement', values, notes, signalQuality };
}
