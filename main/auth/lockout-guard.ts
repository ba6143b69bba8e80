/**
 * Lockout as the flows apply it: an account that failed too often waits (backoff from ./lockout), and
 * so does a window that failed too often whatever the username. Every failed proof counts and is
 * audited (reason codes only).
 */
import { AppError } from '../../shared/ipc';
import { NO_ACTOR } from '../audit/recorder';
import { actorOfUser, type AuthContext } from './context';
import { DEFAULT_LOCKOUT, describeWait, lockedUntil, type LockoutPolicy } from './lockout';
import { AUTH_MESSAGES } from './messages';
import type { UserRecord } from './user-store';

export interface LockoutGuard {
  /** Throws FORBIDDEN (audited) while the account must wait. */
  refuseIfLockedOut(user: UserRecord, action: string): void;
  /** Counts a failed proof towards the account's lockout, audits it, and throws `error`. */
  fail(user: UserRecord, action: string, detail: string, message: string, error?: AppError): never;
  /** Throws FORBIDDEN (audited) while the window must wait. */
  refuseIfWindowThrottled(senderId: string): void;
  noteWindowFailure(senderId: string): void;
  clearWindow(senderId: string): void;
}

export function createLockoutGuard(ctx: AuthContext): LockoutGuard {
  const { audit, logger } = ctx.deps;
  const lockoutPolicy = ctx.deps.lockout ?? DEFAULT_LOCKOUT;

  /**
   * Failed sign-ins per window, whatever the username: guessing across many usernames (each with its
   * own counter, or none at all) still slows down at the keyboard it is tried from.
   */
  const windowFailures = new Map<string, { failedAttempts: number; lastFailedAt: string | null }>();
  const windowLockout: LockoutPolicy = { ...lockoutPolicy, freeAttempts: lockoutPolicy.freeAttempts * 2 };

  return {
    refuseIfLockedOut(user, action) {
      const until = lockedUntil(user, ctx.now(), lockoutPolicy);
      if (!until) return;
      audit.record({ actor: actorOfUser(user), action, outcome: 'denied', detail: 'locked-out' });
      throw new AppError('FORBIDDEN', AUTH_MESSAGES.tooMany(describeWait(until, ctx.now())));
    },

    fail(user, action, detail, message, error = new AppError('NOT_SIGNED_IN', message)) {
      ctx.deps.users().recordFailure(user.id, ctx.iso());
      audit.record({ actor: actorOfUser(user), action, outcome: 'failure', detail });
      logger.warn('auth.failed', { action, reason: detail });
      throw error;
    },

    refuseIfWindowThrottled(senderId) {
      const state = windowFailures.get(senderId);
      const until = state ? lockedUntil(state, ctx.now(), windowLockout) : null;
      if (!until) return;
      audit.record({ actor: NO_ACTOR, action: 'auth.signIn', outcome: 'denied', detail: 'window-throttled' });
      throw new AppError('FORBIDDEN', AUTH_MESSAGES.tooMany(describeWait(until, ctx.now())));
    },

    noteWindowFailure(senderId) {
      const state = windowFailures.get(senderId) ?? { failedAttempts: 0, lastFailedAt: null };
      windowFailures.set(senderId, { failedAttempts: state.failedAttempts + 1, lastFailedAt: ctx.iso() });
    },

    clearWindow: (senderId) => void windowFailures.delete(senderId),
  };
}
