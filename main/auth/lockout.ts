/**
 * Lockout after repeated failed sign-ins, with exponential backoff: after `freeAttempts` failures the
 * account waits `baseDelayMs`, doubling each further failure up to `maxDelayMs`. Pure: the caller
 * stores the counter and the time of the last failure.
 */
export interface LockoutPolicy {
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  freeAttempts: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
};

export interface FailureState {
  failedAttempts: number;
  /** ISO time of the last failed attempt, or null. */
  lastFailedAt: string | null;
}

/** How long after the last failure the next attempt must wait (0 when it need not). */
export function lockoutDelayMs(failedAttempts: number, policy: LockoutPolicy = DEFAULT_LOCKOUT): number {
  if (failedAttempts < policy.freeAttempts) return 0;
  const doublings = failedAttempts - policy.freeAttempts;
  // Cap the exponent so the multiplication never overflows to Infinity.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(doublings, 30));
}

/** The time before which another attempt is refused, or null when an attempt may be made now. */
export function lockedUntil(
  state: FailureState,
  now: Date,
  policy: LockoutPolicy = DEFAULT_LOCKOUT,
): Date | null {
  if (!state.lastFailedAt) return null;
  const delay = lockoutDelayMs(state.failedAttempts, policy);
  if (delay === 0) return null;
  const until = new Date(new Date(state.lastFailedAt).getTime() + delay);
  return until.getTime() > now.getTime() ? until : null;
}

/** The wait as a nurse reads it: "about 30 seconds", "about 4 minutes". */
export function describeWait(until: Date, now: Date): string {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  if (seconds < 90) return `about ${seconds} seconds`;
  return `about ${Math.ceil(seconds / 60)} minutes`;
}
