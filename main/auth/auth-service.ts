/**
 * Staff sign-in: first-run setup, password + TOTP (or a recovery code), lockout with backoff, one
 * session per window, idle lock and unlock, quick user switch, and account administration. Every
 * sign-in, failure, sign-out, lock, unlock and account change is audited (identifiers and reason
 * codes only: never a password, a username typed by someone, or a code). An account change (an account
 * created or changed, a password, a confirmed authenticator) stays only with its record (see
 * ./recorded-change); a sign-in attempt is an event that goes on, and is counted, without one.
 *
 * Each flow lives in a file of its own name and shares one context (./context):
 * - ./sign-in: setup, sign-in, sign-out, lock and unlock;
 * - ./two-step: enrolling an authenticator, and checking codes and recovery codes;
 * - ./password-change: a user changing their own password;
 * - ./accounts: an administrator creating accounts and resetting passwords and two-step sign-in;
 * - ./lockout-guard: backoff per account and per window.
 */
import type { AuthStatus } from '../../shared/ipc/channels/auth';
import { NO_ACTOR, type AuditActor } from '../audit/recorder';
import { createAccountsFlow, type AccountsFlow } from './accounts';
import { createAuthContext, type AuthServiceDeps } from './context';
import { createLockoutGuard } from './lockout-guard';
import { createPasswordChangeFlow, type PasswordChangeFlow } from './password-change';
import type { Session } from './sessions';
import { createSignInFlow, type SignInFlow } from './sign-in';
import { createTwoStepFlow, type TwoStepFlow } from './two-step';

export { AUTH_MESSAGES } from './messages';
export { DEFAULT_AUTH_POLICY, summaryOf, type AuthPolicy, type AuthServiceDeps } from './context';

export interface AuthService
  extends SignInFlow, Pick<TwoStepFlow, 'enrolTotp' | 'confirmTotp'>, PasswordChangeFlow, AccountsFlow {
  status(senderId: string): AuthStatus;
  activity(senderId: string): AuthStatus['state'];
  /** The signed-in, unlocked, enrolled session of a window, or an AppError saying why there is none. */
  requireActiveSession(senderId: string): Session;
  /** Who is acting at a window, for audit (null ids when nobody is signed in). */
  actorOf(senderId: string): AuditActor;
  /** Locks idle sessions now and announces it; the core calls this on a timer. */
  sweep(): void;
}

export function createAuthService(deps: AuthServiceDeps): AuthService {
  const ctx = createAuthContext(deps);
  const guard = createLockoutGuard(ctx);
  const twoStep = createTwoStepFlow(ctx, guard);
  return {
    ...createSignInFlow(ctx, guard, twoStep),
    enrolTotp: twoStep.enrolTotp,
    confirmTotp: twoStep.confirmTotp,
    ...createPasswordChangeFlow(ctx, guard),
    ...createAccountsFlow(ctx),
    status: ctx.statusOf,
    activity(senderId) {
      const session = ctx.current(senderId);
      if (session && !session.lockedAt) session.lastActivityAt = ctx.now();
      return ctx.statusOf(senderId).state;
    },
    requireActiveSession: ctx.requireActiveSession,
    actorOf(senderId) {
      const session = ctx.sessions.get(senderId);
      return session ? { userId: session.userId, role: session.role } : NO_ACTOR;
    },
    sweep() {
      for (const session of ctx.sessions.all()) ctx.current(session.senderId);
    },
  };
}
