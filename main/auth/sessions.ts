/**
 * Sign-in sessions, one per window (CallContext.senderId), held in memory only: closing the app
 * signs everyone out. Idle lock is computed from the last activity on each look-up, so it holds on a
 * fixed clock in tests as well as on the wall clock; a periodic sweep only makes the lock visible
 * (an event) without waiting for the next call.
 */
import type { Role } from '../../shared/ipc/contract';

/** Steps a signed-in user must finish, in this order, before anything else: own password, then two-factor. */
export type SessionStage = 'password-change-required' | 'enrolment-required' | 'active';

export interface Session {
  readonly senderId: string;
  readonly userId: string;
  role: Role;
  stage: SessionStage;
  readonly signedInAt: Date;
  lastActivityAt: Date;
  /** When a TOTP or recovery code was last given in this session; null when none was. */
  lastSecondFactorAt: Date | null;
  /** Set when the screen locked (idle or by hand); null while unlocked. */
  lockedAt: Date | null;
  lockReason: 'idle' | 'manual' | null;
  /** A secret being enrolled: kept here, not stored, until the user confirms a first code from it. */
  pendingTotp: { secret: string; recoveryCodes: string[] } | null;
}

export interface SessionTable {
  get(senderId: string): Session | undefined;
  start(
    fields: Pick<Session, 'senderId' | 'userId' | 'role' | 'stage' | 'lastSecondFactorAt'>,
    now: Date,
  ): Session;
  end(senderId: string): Session | undefined;
  all(): Session[];
  /** Sessions of one user (a disabled account is signed out everywhere). */
  ofUser(userId: string): Session[];
}

export function createSessionTable(): SessionTable {
  const sessions = new Map<string, Session>();
  return {
    get: (senderId) => sessions.get(senderId),
    start(fields, now) {
      const session: Session = {
        ...fields,
        signedInAt: now,
        lastActivityAt: now,
        lockedAt: null,
        lockReason: null,
        pendingTotp: null,
      };
      sessions.set(fields.senderId, session);
      return session;
    },
    end(senderId) {
      const session = sessions.get(senderId);
      sessions.delete(senderId);
      return session;
    },
    all: () => [...sessions.values()],
    ofUser: (userId) => [...sessions.values()].filter((s) => s.userId === userId),
  };
}

/**
 * Locks the session if it has been idle for `idleLockMinutes`; true when this call locked it. The lock
 * time is when the idle period ran out, not when someone next looked.
 */
export function applyIdleLock(session: Session, now: Date, idleLockMinutes: number): boolean {
  if (session.lockedAt) return false;
  const deadline = session.lastActivityAt.getTime() + idleLockMinutes * 60_000;
  if (now.getTime() < deadline) return false;
  session.lockedAt = new Date(deadline);
  session.lockReason = 'idle';
  return true;
}

/** Whether unlocking must ask for the second factor again (the last one is older than policy allows). */
export function secondFactorStale(session: Session, now: Date, reauthAfterMinutes: number): boolean {
  if (!session.lastSecondFactorAt) return true;
  return now.getTime() - session.lastSecondFactorAt.getTime() >= reauthAfterMinutes * 60_000;
}
