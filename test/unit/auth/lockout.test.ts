import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCKOUT, describeWait, lockedUntil, lockoutDelayMs } from '../../../main/auth/lockout';

describe('sign-in lockout with backoff', () => {
  it.each([
    [0, 0],
    [4, 0],
    [5, 30_000],
    [6, 60_000],
    [7, 120_000],
    [9, 480_000],
    [10, 900_000],
    [50, 900_000],
    [5000, 900_000],
  ])('after %i failures waits %i ms', (failures, delay) => {
    expect(lockoutDelayMs(failures, DEFAULT_LOCKOUT)).toBe(delay);
  });

  it('is locked until the delay after the last failure has passed', () => {
    const last = new Date('2026-01-01T10:00:00Z');
    const state = { failedAttempts: 6, lastFailedAt: last.toISOString() };
    expect(lockedUntil(state, new Date('2026-01-01T10:00:59Z'))?.toISOString()).toBe(
      '2026-01-01T10:01:00.000Z',
    );
    expect(lockedUntil(state, new Date('2026-01-01T10:01:00Z'))).toBeNull();
    expect(lockedUntil({ failedAttempts: 3, lastFailedAt: last.toISOString() }, last)).toBeNull();
    expect(lockedUntil({ failedAttempts: 0, lastFailedAt: null }, last)).toBeNull();
  });

  it('says the wait in words', () => {
    const now = new Date('2026-01-01T10:00:00Z');
    expect(describeWait(new Date('2026-01-01T10:00:30Z'), now)).toBe('about 30 seconds');
    expect(describeWait(new Date('2026-01-01T10:04:00Z'), now)).toBe('about 4 minutes');
  });
});
