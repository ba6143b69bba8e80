/** The freshness rule, on a fake clock. */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../../main/platform/clock';
import { DEFAULT_FRESHNESS, judgeFreshness } from '../../../../main/devices/rules/freshness';

describe('freshness rule', () => {
  it('a spot-check value stays acceptable for 30 s, a streaming one for 5 s, by default', () => {
    const clock = manualClock(new Date('2026-12-01T11:00:00Z'));
    const receivedAt = clock.now();
    const judge = (cadence: 'spot-check' | 'streaming') =>
      judgeFreshness({ receivedAt, now: clock.now(), connected: true, cadence, policy: DEFAULT_FRESHNESS });

    clock.advance(5_000);
    expect(judge('streaming')).toEqual({ acceptable: true, until: new Date(receivedAt.getTime() + 5_000) });
    clock.advance(1);
    expect(judge('streaming')).toEqual({ acceptable: false, reason: 'stale', ageMs: 5_001 });
    expect(judge('spot-check').acceptable).toBe(true);
    clock.advance(25_000);
    expect(judge('spot-check').acceptable).toBe(false);
  });

  it('the policy sets both windows', () => {
    const receivedAt = new Date('2026-12-01T11:00:00Z');
    const now = new Date(receivedAt.getTime() + 40_000);
    const policy = { spotCheckMs: 60_000, streamingMs: 2_000 };
    expect(
      judgeFreshness({ receivedAt, now, connected: true, cadence: 'spot-check', policy }).acceptable,
    ).toBe(true);
    expect(
      judgeFreshness({ receivedAt, now, connected: true, cadence: 'streaming', policy }).acceptable,
    ).toBe(false);
  });

  it('a disconnected device’s value is not acceptable at once, however new', () => {
    const at = new Date('2026-12-01T11:00:00Z');
    expect(
      judgeFreshness({
        receivedAt: at,
        now: at,
        connected: false,
        cadence: 'spot-check',
        policy: DEFAULT_FRESHNESS,
      }),
    ).toEqual({ acceptable: false, reason: 'disconnected', ageMs: 0 });
  });
});
