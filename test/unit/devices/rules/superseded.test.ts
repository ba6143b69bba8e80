/** The seen-value rule: which value a newer one replaced as the nurse pressed may still be filed. */
import { describe, expect, it } from 'vitest';
import { judgeSeenValue, SEEN_VALUE_WINDOW_MS } from '../../../../main/devices/rules/superseded';

const arrived = new Date('2026-12-01T11:00:00Z');
const at = (ms: number) => new Date(arrived.getTime() + ms);
const streaming = { receivedAt: arrived, cadence: 'streaming' as const };

describe('seen-value rule', () => {
  it('takes a streaming value replaced as she pressed, up to 3 s after it arrived', () => {
    expect(SEEN_VALUE_WINDOW_MS).toBe(3_000);
    const judge = (now: Date) =>
      judgeSeenValue({ seen: streaming, sameConnection: true, deskSince: at(-60_000), now });
    expect(judge(at(1_000))).toEqual({ acceptable: true });
    expect(judge(at(3_000))).toEqual({ acceptable: true });
    expect(judge(at(3_001))).toEqual({ acceptable: false, reason: 'too-old' });
  });

  it('refuses a replaced value from a spot-check device or one naming a shared device’s user', () => {
    const facts = { sameConnection: true, deskSince: at(-60_000), now: at(500) };
    expect(judgeSeenValue({ ...facts, seen: { receivedAt: arrived, cadence: 'spot-check' } })).toEqual({
      acceptable: false,
      reason: 'spot-check',
    });
    expect(judgeSeenValue({ ...facts, seen: { ...streaming, deviceUser: 2 } })).toEqual({
      acceptable: false,
      reason: 'shared-device',
    });
  });

  it('refuses it when the device reconnected in between', () => {
    expect(
      judgeSeenValue({ seen: streaming, sameConnection: false, deskSince: at(-60_000), now: at(500) }),
    ).toEqual({ acceptable: false, reason: 'other-connection' });
  });

  it('refuses it unless the desk showed this visit, unlocked, to the same nurse since before it came', () => {
    const judge = (deskSince: Date | undefined) =>
      judgeSeenValue({ seen: streaming, sameConnection: true, deskSince, now: at(500) });
    expect(judge(undefined)).toEqual({ acceptable: false, reason: 'desk-changed' });
    // The patient was chosen (or the screen unlocked) a moment after the value came: not hers to take.
    expect(judge(at(1))).toEqual({ acceptable: false, reason: 'desk-changed' });
    // The same instant: which came first is not known, so it is not taken.
    expect(judge(arrived)).toEqual({ acceptable: false, reason: 'desk-changed' });
    expect(judge(at(-1))).toEqual({ acceptable: true });
  });
});
