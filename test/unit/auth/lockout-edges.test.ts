/** Lockout at its edges: the clock set back, a policy without a ceiling, and the wait in words. */
import { describe, expect, it } from 'vitest';
import { describeWait, lockedUntil, lockoutDelayMs } from '../../../main/auth/lockout';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s));

describe('lockout edges', () => {
  it('does not lock an account still within its free attempts, even if the clock was set back', () => {
    // The last failure appears to be in the future: with free attempts left, an attempt is still allowed.
    expect(lockedUntil({ failedAttempts: 4, lastFailedAt: at(600).toISOString() }, at(0))).toBeNull();
    // Out of free attempts, the wait runs from the last failure.
    expect(lockedUntil({ failedAttempts: 5, lastFailedAt: at(600).toISOString() }, at(0))).toEqual(at(630));
  });

  it('never locks on a failure count without a failure time, even on a clock reset to 1970', () => {
    // A workstation whose clock battery died starts at the Unix epoch.
    expect(lockedUntil({ failedAttempts: 6, lastFailedAt: null }, new Date(10_000))).toBeNull();
  });

  it('doubles from the base delay and never reaches infinity, with no ceiling set', () => {
    const policy = { freeAttempts: 3, baseDelayMs: 1_000, maxDelayMs: Number.MAX_VALUE };
    expect([2, 3, 4, 5, 6].map((n) => lockoutDelayMs(n, policy))).toEqual([0, 1_000, 2_000, 4_000, 8_000]);
    expect(lockoutDelayMs(33, policy)).toBe(1_000 * 2 ** 30);
    expect(lockoutDelayMs(10_000, policy)).toBe(1_000 * 2 ** 30);
  });

  it.each([
    [0, 'about 1 seconds'],
    [0.2, 'about 1 seconds'],
    [1.2, 'about 2 seconds'],
    [89, 'about 89 seconds'],
    [89.5, 'about 2 minutes'],
    [90, 'about 2 minutes'],
    [120, 'about 2 minutes'],
    [121, 'about 3 minutes'],
    [-5, 'about 1 seconds'],
  ])('a wait of %f s reads "%s"', (seconds, words) => {
    const now = at(0);
    expect(describeWait(new Date(now.getTime() + seconds * 1000), now)).toBe(words);
  });
});
