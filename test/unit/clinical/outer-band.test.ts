import { describe, expect, it } from 'vitest';
import {
  OUTER_BANDS,
  outerBandOf,
  outerBandQuestion,
  outerBandRefusal,
} from '../../../shared/clinical/outer-band';
import { PLAUSIBLE_RANGES } from '../../../shared/clinical/plausibility';
import { vitalKindSchema, type VitalKind } from '../../../shared/clinical/vital-signs';

// The documented table (docs/clinical-checks.md), written out here so a changed limit fails: each limit
// itself is ordinary, one display step beyond it asks for confirmation.
const edges: [VitalKind, number | null, number | null, number][] = [
  ['respiratoryRate', 6, 40, 1],
  ['heartRate', 35, 180, 1],
  ['spo2', 80, null, 1],
  ['bodyTemperature', 34, 41, 0.1],
  ['systolic', 70, 220, 1],
  ['diastolic', 40, 130, 1],
  ['meanArterialPressure', 50, 160, 1],
  ['bodyWeight', 30, 250, 0.1],
  ['bodyHeight', 130, 210, 0.1],
  ['bmi', 13, 70, 0.1],
  ['glucose', 40, 500, 1],
  ['painScore', null, null, 1],
  ['inhaledOxygenFlow', null, 15, 0.1],
];

describe('outerBandOf', () => {
  it.each(edges)('%s: limits %s and %s are ordinary, one step beyond asks', (kind, low, high, step) => {
    if (low !== null) {
      expect(outerBandOf(kind, low)).toBeNull();
      expect(outerBandOf(kind, low - step)).toEqual({ kind, value: low - step, side: 'low', limit: low });
    } else {
      // No low band: even the smallest possible value is ordinary.
      expect(outerBandOf(kind, PLAUSIBLE_RANGES[kind].min)).toBeNull();
    }
    if (high !== null) {
      expect(outerBandOf(kind, high)).toBeNull();
      expect(outerBandOf(kind, high + step)).toEqual({ kind, value: high + step, side: 'high', limit: high });
    } else {
      expect(outerBandOf(kind, PLAUSIBLE_RANGES[kind].max)).toBeNull();
    }
  });

  it('covers every vital, inside its plausible range, each with a reason', () => {
    expect(new Set(edges.map(([k]) => k))).toEqual(new Set(vitalKindSchema.options));
    for (const kind of vitalKindSchema.options) {
      const band = OUTER_BANDS[kind];
      const range = PLAUSIBLE_RANGES[kind];
      if (band.low !== null) expect(band.low).toBeGreaterThan(range.min);
      if (band.high !== null) expect(band.high).toBeLessThan(range.max);
      expect(band.reason.length).toBeGreaterThan(20);
    }
  });

  it('the MAP band is exactly the MAP of the systolic and diastolic limits', () => {
    const map = (s: number, d: number) => (s + 2 * d) / 3;
    expect(OUTER_BANDS.meanArterialPressure.low).toBe(
      map(OUTER_BANDS.systolic.low!, OUTER_BANDS.diastolic.low!),
    );
    expect(OUTER_BANDS.meanArterialPressure.high).toBe(
      map(OUTER_BANDS.systolic.high!, OUTER_BANDS.diastolic.high!),
    );
  });

  it('the seen case: respiratory rate 2 asks, 12 does not', () => {
    expect(outerBandOf('respiratoryRate', 2)?.side).toBe('low');
    expect(outerBandOf('respiratoryRate', 12)).toBeNull();
  });
});

describe('outer-band sentences', () => {
  it('asks the nurse with the value and the limit, in the unit it was entered in', () => {
    expect(outerBandQuestion(outerBandOf('respiratoryRate', 2)!)).toBe(
      'Respiratory rate 2 breaths/min is below 6 breaths/min. That is rare: is it what you measured?',
    );
    // 107 °F = 41.67 °C: shown in °F, limit too.
    expect(outerBandQuestion(outerBandOf('bodyTemperature', ((107 - 32) * 5) / 9)!, '[degF]')).toBe(
      'Body temperature 107 °F is above 105.8 °F. That is rare: is it what you measured?',
    );
    expect(outerBandQuestion(outerBandOf('bodyWeight', 260)!, '[lb_av]')).toBe(
      'Body weight 573.2 lb is above 551.2 lb. That is rare: is it what you measured?',
    );
    expect(outerBandQuestion(outerBandOf('spo2', 72)!)).toBe(
      'Oxygen saturation 72 % is below 80 %. That is rare: is it what you measured?',
    );
  });

  it('main’s refusal names the limit but never the value', () => {
    const refusal = outerBandRefusal(outerBandOf('heartRate', 187)!);
    expect(refusal).toBe('This heart rate is above 180 bpm, which is rare; confirm it before it is saved.');
    expect(refusal).not.toContain('187');
  });
});
