import { describe, expect, it } from 'vitest';
import { checkPlausible, PLAUSIBLE_RANGES, vitalName } from '../../../shared/clinical/plausibility';
import { vitalKindSchema, type VitalKind } from '../../../shared/clinical/vital-signs';

// Every range pinned at both edges: the bound itself is taken, the smallest step beyond it is refused.
// A range widened (or narrowed) by mistake fails here, the derived ones (MAP, BMI, oxygen flow) included.
const EDGES: Record<VitalKind, readonly [min: number, max: number, step: number]> = {
  heartRate: [20, 300, 1],
  respiratoryRate: [2, 80, 1],
  spo2: [50, 100, 1],
  bodyTemperature: [25, 45, 0.1],
  systolic: [40, 300, 1],
  diastolic: [20, 200, 1],
  meanArterialPressure: [20, 300, 1],
  bodyWeight: [0.3, 500, 0.1],
  bodyHeight: [20, 260, 1],
  bmi: [5, 250, 0.1],
  glucose: [10, 1000, 1],
  painScore: [0, 10, 1],
  inhaledOxygenFlow: [0, 60, 0.1],
};

describe('plausible ranges at their edges', () => {
  it('covers every vital kind, and no other', () => {
    expect(Object.keys(PLAUSIBLE_RANGES).sort()).toEqual([...vitalKindSchema.options].sort());
    expect(Object.keys(EDGES).sort()).toEqual([...vitalKindSchema.options].sort());
  });

  it.each(Object.entries(EDGES) as [VitalKind, readonly [number, number, number]][])(
    '%s takes its bounds and refuses one step beyond each',
    (kind, [min, max, step]) => {
      expect(PLAUSIBLE_RANGES[kind]).toMatchObject({ min, max });
      expect(checkPlausible(kind, min)).toEqual({ ok: true });
      expect(checkPlausible(kind, max)).toEqual({ ok: true });
      expect(checkPlausible(kind, min - step)).toMatchObject({
        ok: false,
        message: expect.stringContaining('too low'),
      });
      expect(checkPlausible(kind, max + step)).toMatchObject({
        ok: false,
        message: expect.stringContaining('too high'),
      });
    },
  );

  it('words the derived ranges for the nurse', () => {
    expect(checkPlausible('meanArterialPressure', 301)).toEqual({
      ok: false,
      message:
        'This mean arterial pressure is too high to be possible; check the entry (allowed 20–300 mmHg).',
    });
    expect(checkPlausible('bmi', 4)).toEqual({
      ok: false,
      message: 'This body mass index is too low to be possible; check the entry (allowed 5–250 kg/m²).',
    });
    expect(checkPlausible('inhaledOxygenFlow', 61)).toEqual({
      ok: false,
      message: 'This oxygen flow is too high to be possible; check the entry (allowed 0–60 L/min).',
    });
    expect(checkPlausible('inhaledOxygenFlow', Number.NaN)).toEqual({
      ok: false,
      message: 'An oxygen flow must be a number; check the entry (allowed 0–60 L/min).',
    });
  });

  it('names each measurement and its unit as the nurse reads them', () => {
    const words: Record<VitalKind, string> = {
      heartRate: 'This heart rate is too high to be possible; check the entry (allowed 20–300 /min).',
      respiratoryRate:
        'This respiratory rate is too high to be possible; check the entry (allowed 2–80 /min).',
      spo2: 'This oxygen saturation is too high to be possible; check the entry (allowed 50–100 %).',
      bodyTemperature:
        'This body temperature is too high to be possible; check the entry (allowed 25–45 °C).',
      systolic: 'This systolic pressure is too high to be possible; check the entry (allowed 40–300 mmHg).',
      diastolic: 'This diastolic pressure is too high to be possible; check the entry (allowed 20–200 mmHg).',
      meanArterialPressure:
        'This mean arterial pressure is too high to be possible; check the entry (allowed 20–300 mmHg).',
      bodyWeight: 'This body weight is too high to be possible; check the entry (allowed 0.3–500 kg).',
      bodyHeight: 'This body height is too high to be possible; check the entry (allowed 20–260 cm).',
      bmi: 'This body mass index is too high to be possible; check the entry (allowed 5–250 kg/m²).',
      glucose: 'This blood glucose is too high to be possible; check the entry (allowed 10–1000 mg/dL).',
      painScore: 'This pain score is too high to be possible; check the entry (allowed 0–10 /10).',
      inhaledOxygenFlow: 'This oxygen flow is too high to be possible; check the entry (allowed 0–60 L/min).',
    };
    for (const [kind, [, max, step]] of Object.entries(EDGES) as [
      VitalKind,
      readonly [number, number, number],
    ][])
      expect(checkPlausible(kind, max + step)).toEqual({ ok: false, message: words[kind] });
    expect(vitalName('heartRate')).toBe('Heart rate');
  });
});
