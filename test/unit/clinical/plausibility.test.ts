import { describe, expect, it } from 'vitest';
import { checkBloodPressure, checkPlausible, PLAUSIBLE_RANGES } from '../../../shared/clinical/plausibility';
import { vitalKindSchema, type VitalKind } from '../../../shared/clinical/vital-signs';

// DOMAIN plausible adult ranges, both bounds accepted, one step outside refused.
const cases: [VitalKind, number, number, number][] = [
  ['heartRate', 20, 300, 1],
  ['systolic', 40, 300, 1],
  ['diastolic', 20, 200, 1],
  ['spo2', 50, 100, 1],
  ['bodyTemperature', 25, 45, 0.1],
  ['respiratoryRate', 2, 80, 1],
  ['bodyWeight', 0.3, 500, 0.1],
  ['bodyHeight', 20, 260, 1],
  ['glucose', 10, 1000, 1],
  ['painScore', 0, 10, 1],
];

describe('checkPlausible', () => {
  it.each(cases)('%s accepts %d and %d, refuses one step outside', (kind, min, max, step) => {
    expect(checkPlausible(kind, min)).toEqual({ ok: true });
    expect(checkPlausible(kind, max)).toEqual({ ok: true });
    expect(checkPlausible(kind, min - step).ok).toBe(false);
    expect(checkPlausible(kind, max + step).ok).toBe(false);
  });

  it('every vital kind has a range', () => {
    for (const kind of vitalKindSchema.options)
      expect(PLAUSIBLE_RANGES[kind].min).toBeLessThan(PLAUSIBLE_RANGES[kind].max);
  });

  it('says what was wrong and what is allowed, without echoing the value', () => {
    const result = checkPlausible('heartRate', 400);
    expect(result).toEqual({
      ok: false,
      message: 'This heart rate is too high to be possible; check the entry (allowed 20–300 /min).',
    });
    if (!result.ok) expect(result.message).not.toContain('400');
  });

  it('says when a value is too low', () => {
    expect(checkPlausible('bodyTemperature', 3.7)).toEqual({
      ok: false,
      message: 'This body temperature is too low to be possible; check the entry (allowed 25–45 °C).',
    });
    expect(checkPlausible('spo2', 30)).toMatchObject({
      message: expect.stringMatching(/^This oxygen saturation is too low/),
    });
  });

  it('refuses NaN and infinities', () => {
    expect(checkPlausible('spo2', Number.NaN).ok).toBe(false);
    expect(checkPlausible('spo2', Number.POSITIVE_INFINITY).ok).toBe(false);
  });

  it('refuses a fractional pain score', () => {
    expect(checkPlausible('painScore', 4.5)).toMatchObject({
      ok: false,
      message: expect.stringContaining('whole number'),
    });
  });
});

describe('checkBloodPressure', () => {
  it.each([
    [120, 80, true],
    [120, 119, true],
    [120, 120, false],
    [80, 120, false],
    [301, 80, false],
    [120, 19, false],
    [40, 20, true],
  ])('%d/%d plausible: %s', (sys, dia, ok) => {
    expect(checkBloodPressure(sys, dia).ok).toBe(ok);
  });

  it('names a swap', () => {
    expect(checkBloodPressure(80, 120)).toMatchObject({
      ok: false,
      message: expect.stringContaining('swapped'),
    });
  });
});
