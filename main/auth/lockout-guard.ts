/**
 * Lockout as the flows apply it: an account that failed too often waits (backoff from ./lockout), and
 * so does a window that failed too often whatever the username.
 *
 * Every attempt is counted before its password or code is checked, in one step with reading the count
 * (see UserStore.beginAttempt): attempts sent in parallel each see the ones before them, so the sixth of
 * forty simultaneous guesses is already refused instead of all forty being checked. A right proof clears
 * the count; a right password that still needs its code takes its own attempt back.
 */
import { AppError } from '../../shared/ipc';
import { NO_ACTOR } from '../audit/recorder';
import { actorOfUser, type AuthContext } from './context';
import { DEFAULT_LOCKOUT, describeWait, lockedUntil, type FailureState, type LockoutPolicy } from './lockout';
import { AUTH_MESSAGES } from './messages';
import type { UserRecord } from './user-store';

export interface LockoutGuard {
  /** Counts an attempt to prove who `user` is; throws FORBIDDEN (audited, still counted) while the account must wait. */
  beginAttempt(user: UserRecord, action: string): void;
  /** Audits a failed proof (already counted by beginAttempt) and throws `error`. */
  fail(user: UserRecord, action: string, detail: string, message: string, error?: AppError): never;
  /** The password was right and the sign-in continues to its code: this attempt does not count. */
  refundAttempt(user: UserRecord): void;
  /** The proof was right: the account's count starts again. */
  succeeded(user: UserRecord): void;
  /** Counts a sign-in attempt at a window; throws FORBIDDEN (audited) while the window must wait. */
  beginWindowAttempt(senderId: string): void;
  refundWindowAttempt(senderId: string): void;
  clearWindow(senderId: string): void;
}

export function createLockoutGuard(ctx: AuthContext): LockoutGuard {
  const { audit, logger } = ctx.deps;
  const lockoutPolicy = ctx.deps.lockout ?? DEFAULT_LOCKOUT;

  /**
   * Attempts per window, whatever the username: guessing across many usernames (each with its own
   * counter, or none at all) still slows down at the keyboard it is tried from. In memory and updated
   * without an await in between, so it is as atomic as the account's counter.
   */
  const windowAttempts = new Map<string, FailureState>();
  const windowLockout: LockoutPolicy = { ...lockoutPolicy, freeAttempts: lockoutPolicy.freeAttempts * 2 };

  const refuse = (until: Date): never => {
    throw new AppError('FORBIDDEN', AUTH_MESSAGES.tooMany(describeWait(until, ctx.now())));
  };

  return {
    beginAttempt(user, action) {
      const before = ctx.deps.users().beginAttempt(user.id, ctx.iso());
      const until = lockedUntil(before, ctx.now(), lockoutPolicy);
      if (!until) return;
      audit.record({ actor: actorOfUser(user), action, outcome: 'denied', detail: 'locked-out' });
      refuse(until);
    },

    fail(user, action, detail, message, error = new AppError('NOT_SIGNED_IN', message)) {
      audit.record({ actor: actorOfUser(user), action, outcome: 'failure', detail });
      logger.warn('auth.failed', { action, reason: detail });
      throw error;
    },

    refundAttempt: (user) => ctx.deps.users().refundAttempt(user.id),
    succeeded: (user) => ctx.deps.users().clearFailures(user.id),

    beginWindowAttempt(senderId) {
      const before = windowAttempts.get(senderId) ?? { failedAttempts: 0, lastFailedAt: null };
      windowAttempts.set(senderId, { failedAttempts: before.failedAttempts + 1, lastFailedAt: ctx.iso() });
      const until = lockedUntil(before, ctx.now(), windowLockout);
      if (!until) return;
      audit.record({ actor: NO_ACTOR, action: 'auth.signIn', outcome: 'denied', detail: 'window-throttled' });
      refuse(until);
    },

    refundWindowAttempt(senderId) {
      const state = windowAttempts.get(senderId);
      if (state)
        windowAttempts.set(senderId, { ...state, failedAttempts: Math.max(0, state.failedAttempts - 1) });
    },

    clearWindow: (senderId) => void windowAttempts.delete(senderId),
  };
}
