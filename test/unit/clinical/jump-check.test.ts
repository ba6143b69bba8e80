import { describe, expect, it } from 'vitest';
import {
  checkJump,
  exceeds,
  JUMP_RULES,
  jumpQuestion,
  jumpRefusal,
  whenText,
} from '../../../shared/clinical/jump-check';
import { toCanonical } from '../../../shared/clinical/units';
import { vitalKindSchema, type VitalKind } from '../../../shared/clinical/vital-signs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A fake clock: every check is made "now" at this instant, and previous values are placed relative to it.
const NOW = new Date('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

// The documented table: previous value, the largest ordinary change either way, one step more (a jump),
// and the window. Written out so that a changed threshold, window or comparison fails.
const table: [VitalKind, number, number, number, number][] = [
  ['bodyWeight', 85, 8.5, 8.6, 30 * DAY],
  ['bodyHeight', 170, 5, 5.1, 365 * DAY],
  ['bodyTemperature', 37, 2.5, 2.6, 4 * HOUR],
  ['heartRate', 72, 40, 41, HOUR],
  ['respiratoryRate', 16, 12, 13, HOUR],
  ['spo2', 88, 10, 11, HOUR],
  ['systolic', 130, 50, 51, HOUR],
  ['diastolic', 80, 30, 31, HOUR],
];

describe('checkJump', () => {
  it.each(table)('%s from %d: ±%d is ordinary, ±%d asks', (kind, previous, ordinary, jump, windowMs) => {
    const at = (value: number, since = windowMs) =>
      checkJump({ kind, value, previous: { value: previous, effectiveAt: ago(since) }, at: NOW });
    expect(at(previous + ordinary)).toBeNull();
    expect(at(previous - ordinary)).toBeNull();
    expect(at(previous + jump)).toMatchObject({
      kind,
      value: previous + jump,
      previous: { value: previous },
    });
    expect(at(previous - jump)).not.toBeNull();
    // The window's edge counts; a millisecond older does not.
    expect(at(previous + jump, windowMs)).not.toBeNull();
    expect(at(previous + jump, windowMs + 1)).toBeNull();
  });

  it('glucose: more than fourfold either way within a day', () => {
    const at = (value: number, since = DAY) =>
      checkJump({ kind: 'glucose', value, previous: { value: 100, effectiveAt: ago(since) }, at: NOW });
    expect(at(400)).toBeNull();
    expect(at(401)).not.toBeNull();
    expect(at(25)).toBeNull();
    expect(at(24)).not.toBeNull();
    expect(at(401, DAY + 1)).toBeNull();
  });

  it('vitals without a rule are never asked about, and every vital has a reason', () => {
    for (const kind of ['meanArterialPressure', 'bmi', 'painScore', 'inhaledOxygenFlow'] as const) {
      expect(JUMP_RULES[kind].limit).toBeNull();
      expect(
        checkJump({ kind, value: 1000, previous: { value: 1, effectiveAt: ago(1) }, at: NOW }),
      ).toBeNull();
    }
    for (const kind of vitalKindSchema.options) expect(JUMP_RULES[kind].reason.length).toBeGreaterThan(20);
    expect(
      new Set([
        ...table.map(([k]) => k),
        'glucose',
        'meanArterialPressure',
        'bmi',
        'painScore',
        'inhaledOxygenFlow',
      ]),
    ).toEqual(new Set(vitalKindSchema.options));
  });

  it('no previous value, no question; a previous value measured later than this one counts by distance', () => {
    expect(checkJump({ kind: 'bodyWeight', value: 187, previous: undefined, at: NOW })).toBeNull();
    const later = new Date(NOW.getTime() + 2 * DAY).toISOString();
    expect(
      checkJump({ kind: 'bodyWeight', value: 187, previous: { value: 85, effectiveAt: later }, at: NOW }),
    ).not.toBeNull();
  });

  it('exceeds: the comparison of each limit type is strict', () => {
    expect(exceeds({ type: 'relative', fraction: 0.1 }, 100, 110)).toBe(false);
    expect(exceeds({ type: 'relative', fraction: 0.1 }, 100, 110.01)).toBe(true);
    expect(exceeds({ type: 'relative', fraction: 0.1 }, 100, 89.99)).toBe(true);
    expect(exceeds({ type: 'absolute', amount: 5 }, 170, 165)).toBe(false);
    expect(exceeds({ type: 'absolute', amount: 5 }, 170, 164.9)).toBe(true);
    expect(exceeds({ type: 'ratio', factor: 4 }, 100, 400)).toBe(false);
    expect(exceeds({ type: 'ratio', factor: 4 }, 100, 24.9)).toBe(true);
  });
});

describe('unit mix-ups', () => {
  const weightOn12Nov = { value: 85, effectiveAt: '2026-11-12T12:00:00Z' };

  it('the seen case: 187 kg after 85 kg on 12 Nov offers 187 lb (84.8 kg)', () => {
    const finding = checkJump({
      kind: 'bodyWeight',
      value: 187,
      previous: weightOn12Nov,
      at: NOW,
      enteredUnit: 'kg',
    });
    expect(finding?.suggestion).toEqual({ number: 187, unit: '[lb_av]', value: 187 * 0.45359237 });
    expect(jumpQuestion(finding!, NOW)).toBe(
      '187 kg — last was 85 kg on 12 Nov. Did you mean 187 lb (84.8 kg)?',
    );
  });

  it('the other way: 85 typed in lb after 85 kg offers 85 kg', () => {
    const finding = checkJump({
      kind: 'bodyWeight',
      value: toCanonical('bodyWeight', 85, '[lb_av]'),
      previous: weightOn12Nov,
      at: NOW,
      enteredUnit: '[lb_av]',
    });
    expect(finding?.suggestion).toMatchObject({ number: 85, unit: 'kg', value: 85 });
    expect(jumpQuestion(finding!, NOW)).toBe(
      '85 lb — last was 187.4 lb on 12 Nov. Did you mean 85 kg (187.4 lb)?',
    );
  });

  it('height: 67 cm after 170 cm offers 67 in (170.2 cm)', () => {
    const finding = checkJump({
      kind: 'bodyHeight',
      value: 67,
      previous: { value: 170, effectiveAt: '2026-03-02T12:00:00Z' },
      at: NOW,
      enteredUnit: 'cm',
    });
    expect(jumpQuestion(finding!, NOW)).toBe(
      '67 cm — last was 170 cm on 2 Mar. Did you mean 67 in (170.2 cm)?',
    );
  });

  it('glucose: 12 mg/dL after 110 mg/dL offers 12 mmol/L (216 mg/dL)', () => {
    const finding = checkJump({
      kind: 'glucose',
      value: 12,
      previous: { value: 110, effectiveAt: ago(3 * HOUR) },
      at: NOW,
      enteredUnit: 'mg/dL',
    });
    expect(finding?.suggestion).toMatchObject({ number: 12, unit: 'mmol/L' });
    expect(finding?.suggestion?.value).toBeCloseTo(216.192, 3);
    expect(jumpQuestion(finding!, NOW)).toMatch(
      /^12 mg\/dL — last was 110 mg\/dL at \d\d:\d\d\. Did you mean 12 mmol\/L \(216 mg\/dL\)\?$/,
    );
  });

  it('no unit explains it: just asks, saying the threshold', () => {
    const finding = checkJump({
      kind: 'bodyWeight',
      value: 120,
      previous: weightOn12Nov,
      at: NOW,
      enteredUnit: 'kg',
    });
    expect(finding?.suggestion).toBeNull();
    expect(jumpQuestion(finding!, NOW)).toBe(
      '120 kg — last was 85 kg on 12 Nov, a change of more than 10 % within 30 days. Is that right?',
    );
    // A °F reading of a °C number is impossible, so nothing is offered for a real fever spike.
    const fever = checkJump({
      kind: 'bodyTemperature',
      value: 40,
      previous: { value: 37, effectiveAt: ago(HOUR) },
      at: NOW,
      enteredUnit: 'Cel',
    });
    expect(fever?.suggestion).toBeNull();
  });

  it('without the entered unit (main), nothing is offered and the refusal has no value or date', () => {
    const finding = checkJump({ kind: 'bodyWeight', value: 187, previous: weightOn12Nov, at: NOW });
    expect(finding?.suggestion).toBeNull();
    const refusal = jumpRefusal(finding!);
    expect(refusal).toBe(
      'This body weight differs from the patient’s previous one by more than 10 % within 30 days; confirm it before it is saved.',
    );
    expect(refusal).not.toMatch(/187|85|Nov/);
  });
});

describe('whenText', () => {
  it('says the day this year, adds the year otherwise, and the time today', () => {
    expect(whenText('2026-11-12T12:00:00Z', NOW)).toBe('on 12 Nov');
    expect(whenText('2025-11-12T12:00:00Z', NOW)).toBe('on 12 Nov 2025');
    const today = new Date(NOW);
    today.setHours(9, 5, 0, 0);
    expect(whenText(today.toISOString(), today)).toBe('at 09:05');
  });
});
