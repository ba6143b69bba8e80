/**
 * What every sign-in flow shares: the dependencies, the per-window session table, the window's session
 * as it stands now (idle lock and the account's current state applied), the status a window is shown,
 * and the checks that a window is signed in, unlocked, past its sign-in steps, or an administrator.
 */
import { AppError } from '../../shared/ipc';
import type { AuthStatus, SignedInUser } from '../../shared/ipc/channels/auth';
import type { UserSummary } from '../../shared/ipc/channels/users';
import type { Role } from '../../shared/ipc/contract';
import type { EventBus } from '../ipc/event-bus';
import type { Logger } from '../logging/logger';
import type { Clock } from '../platform/clock';
import type { AuditActor, AuditRecorder } from '../audit/recorder';
import type { LockoutPolicy } from './lockout';
import { AUTH_MESSAGES, UNFINISHED_STEP } from './messages';
import type { ScryptParams } from './password';
import {
  applyIdleLock,
  createSessionTable,
  secondFactorStale,
  type Session,
  type SessionStage,
  type SessionTable,
} from './sessions';
import type { UserRecord, UserStore } from './user-store';

export interface AuthPolicy {
  requireTwoFactor: boolean;
  idleLockMinutes: number;
  reauthTwoFactorAfterMinutes: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  requireTwoFactor: true,
  idleLockMinutes: 5,
  reauthTwoFactorAfterMinutes: 60,
};

export interface AuthServiceDeps {
  /** The account store, or throws the database's AppError when it is not open. */
  users: () => UserStore;
  audit: AuditRecorder;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  policy: () => AuthPolicy;
  /** Shown in the authenticator app next to the account. */
  issuer: () => string;
  lockout?: LockoutPolicy;
  scrypt?: ScryptParams;
}

export interface AuthContext {
  readonly deps: AuthServiceDeps;
  readonly sessions: SessionTable;
  now(): Date;
  iso(): string;
  /** The window's session after applying idle lock and the account's current state. */
  current(senderId: string): Session | undefined;
  statusOf(senderId: string): AuthStatus;
  requireSession(senderId: string): Session;
  /** The signed-in, unlocked, enrolled session of a window, or an AppError saying why there is none. */
  requireActiveSession(senderId: string): Session;
  requireAdmin(senderId: string): { session: Session; actor: AuditActor };
  /** The first step a user with a right password still has to take: own password, then two-factor. */
  stageAfterPassword(user: UserRecord): SessionStage;
  stageAfterOwnPassword(user: UserRecord): SessionStage;
}

export function summaryOf(user: UserRecord): UserSummary {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    disabled: user.disabled,
    twoFactorEnrolled: user.totpSecret !== null,
    passwordChangeRequired: user.mustChangePassword,
    createdAt: user.createdAt,
  };
}

export function signedInUser(user: UserRecord): SignedInUser {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

export const actorOfUser = (user: { id: string; role: Role }): AuditActor => ({
  userId: user.id,
  role: user.role,
});

export function createAuthContext(deps: AuthServiceDeps): AuthContext {
  const { audit, events, clock, logger } = deps;
  const sessions = createSessionTable();
  const now = () => clock.now();

  function current(senderId: string): Session | undefined {
    const session = sessions.get(senderId);
    if (!session) return undefined;
    const user = deps.users().byId(session.userId);
    if (!user || user.disabled) {
      // Switched off (or removed) while signed in: signed out at the next look.
      sessions.end(senderId);
      audit.record({
        actor: { userId: session.userId, role: session.role },
        action: 'auth.signOut',
        outcome: 'success',
        detail: 'account-disabled',
      });
      events.emit('auth.changed', { reason: 'signed-out' });
      return undefined;
    }
    session.role = user.role;
    if (applyIdleLock(session, now(), deps.policy().idleLockMinutes)) {
      audit.record({ actor: actorOfUser(user), action: 'auth.lock', outcome: 'success', detail: 'idle' });
      logger.info('auth.locked', { reason: 'idle' });
      events.emit('auth.changed', { reason: 'locked' });
    }
    return session;
  }

  function statusOf(senderId: string): AuthStatus {
    const policy = deps.policy();
    const store = deps.users();
    const base = {
      policy: { requireTwoFactor: policy.requireTwoFactor, idleLockMinutes: policy.idleLockMinutes },
    };
    const session = current(senderId);
    const user = session ? store.byId(session.userId) : undefined;
    if (!session || !user) {
      return {
        ...base,
        state: store.count() === 0 ? 'setup-required' : 'signed-out',
        user: null,
        twoFactorEnrolled: false,
        unlockNeedsTwoFactor: false,
      };
    }
    return {
      ...base,
      // Locked first: a screen left at a sign-in step is locked like any other, and unlocks back to it.
      state: session.lockedAt ? 'locked' : session.stage !== 'active' ? session.stage : 'signed-in',
      user: signedInUser(user),
      twoFactorEnrolled: user.totpSecret !== null,
      unlockNeedsTwoFactor:
        user.totpSecret !== null && secondFactorStale(session, now(), policy.reauthTwoFactorAfterMinutes),
      // So the screen can warn before the idle lock by main's clock, not its own.
      ...(session.lockedAt
        ? {}
        : {
            idleLockInMs: Math.max(
              0,
              session.lastActivityAt.getTime() + policy.idleLockMinutes * 60_000 - now().getTime(),
            ),
          }),
    };
  }

  function requireSession(senderId: string): Session {
    const session = current(senderId);
    if (!session) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
    return session;
  }

  function requireActiveSession(senderId: string): Session {
    const session = requireSession(senderId);
    if (session.stage !== 'active') throw new AppError('NOT_SIGNED_IN', UNFINISHED_STEP[session.stage]);
    if (session.lockedAt) throw new AppError('LOCKED', AUTH_MESSAGES.locked);
    return session;
  }

  function stageAfterOwnPassword(user: UserRecord): SessionStage {
    return deps.policy().requireTwoFactor && user.totpSecret === null ? 'enrolment-required' : 'active';
  }

  return {
    deps,
    sessions,
    now,
    iso: () => clock.now().toISOString(),
    current,
    statusOf,
    requireSession,
    requireActiveSession,
    requireAdmin(senderId) {
      const session = requireActiveSession(senderId);
      if (session.role !== 'admin') throw new AppError('FORBIDDEN', AUTH_MESSAGES.forbidden);
      return { session, actor: { userId: session.userId, role: session.role } };
    },
    stageAfterPassword: (user) =>
      user.mustChangePassword ? 'password-change-required' : stageAfterOwnPassword(user),
    stageAfterOwnPassword,
  };
}
