/**
 * Staff sign-in: first-run setup, password + TOTP (or a recovery code), lockout with backoff, one
 * session per window, idle lock and unlock, quick user switch, and account administration. Every
 * sign-in, failure, sign-out, lock, unlock and account change is audited (identifiers and reason
 * codes only: never a password, a username typed by someone, or a code).
 */
import { AppError } from '../../shared/ipc';
import type { AuthStatus, SignInResult, SignedInUser } from '../../shared/ipc/channels/auth';
import type { UserSummary } from '../../shared/ipc/channels/users';
import type { Role } from '../../shared/ipc/contract';
import type { EventBus } from '../ipc/event-bus';
import type { Logger } from '../logging/logger';
import type { Clock } from '../platform/clock';
import { NO_ACTOR, type AuditActor, type AuditRecorder } from '../audit/recorder';
import { DEFAULT_LOCKOUT, describeWait, lockedUntil, type LockoutPolicy } from './lockout';
import {
  decoyPasswordHash,
  hashPassword,
  verifyPassword,
  DEFAULT_SCRYPT,
  type ScryptParams,
} from './password';
import { hashRecoveryCode, matchRecoveryCode, newRecoveryCodes } from './recovery-codes';
import {
  applyIdleLock,
  createSessionTable,
  secondFactorStale,
  type Session,
  type SessionStage,
} from './sessions';
import { checkTotp, newTotpSecret, totpQrDataUrl, totpUri } from './totp';
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

export const AUTH_MESSAGES = {
  wrongCredentials: 'The username or password is not right. Please try again.',
  wrongCode: 'That code is not right, or it was already used. Please enter the code the app shows now.',
  disabled: "This account is switched off. Please ask the clinic's administrator.",
  noAccounts: 'No staff account exists yet. Please create the first administrator.',
  setupDone: 'The first administrator already exists. Please sign in.',
  notSignedIn: 'Please sign in first.',
  enrolFirst: 'Please finish setting up two-step sign-in first.',
  choosePasswordFirst: 'Please choose your own password first.',
  locked: 'The screen is locked. Please unlock it to continue.',
  usernameTaken: 'That username is already taken. Please choose another.',
  noSuchUser: 'That staff account was not found.',
  lastAdmin: 'The clinic must keep at least one active administrator, so this change was not made.',
  noEnrolment: 'Please start two-step sign-in setup again: no setup is in progress.',
  alreadyEnrolled:
    "Two-step sign-in is already set up for this account. To set it up again, ask the clinic's administrator to reset it.",
  tooMany: (wait: string) => `Too many attempts with this account. Please wait ${wait} and try again.`,
  forbidden: 'Your role does not allow this.',
  wrongCurrentPassword: 'Your current password is not right, so it was not changed.',
  samePassword: 'The new password is the same as the current one. Please choose a different one.',
} as const;

/** What a session still at a sign-in step is told when it asks for anything else. */
const UNFINISHED_STEP: Record<Exclude<SessionStage, 'active'>, string> = {
  'password-change-required': AUTH_MESSAGES.choosePasswordFirst,
  'enrolment-required': AUTH_MESSAGES.enrolFirst,
};

export interface AuthService {
  status(senderId: string): AuthStatus;
  setupFirstAdmin(
    senderId: string,
    request: { username: string; displayName: string; password: string },
  ): Promise<SignInResult>;
  signIn(
    senderId: string,
    request: { username: string; password: string; totp?: string; recoveryCode?: string },
  ): Promise<SignInResult>;
  signOut(senderId: string): AuthStatus;
  lock(senderId: string): AuthStatus;
  unlock(
    senderId: string,
    request: { password: string; totp?: string; recoveryCode?: string },
  ): Promise<SignInResult>;
  enrolTotp(
    senderId: string,
  ): Promise<{ otpauthUrl: string; qrDataUrl: string; secret: string; recoveryCodes: string[] }>;
  confirmTotp(senderId: string, code: string): Promise<AuthStatus>;
  changePassword(
    senderId: string,
    request: { currentPassword: string; newPassword: string },
  ): Promise<{ signedOutElsewhere: number }>;
  activity(senderId: string): AuthStatus['state'];
  /** The signed-in, unlocked, enrolled session of a window, or an AppError saying why there is none. */
  requireActiveSession(senderId: string): Session;
  /** Who is acting at a window, for audit (null ids when nobody is signed in). */
  actorOf(senderId: string): AuditActor;
  /** Locks idle sessions now and announces it; the core calls this on a timer. */
  sweep(): void;
  listUsers(): UserSummary[];
  createUser(
    senderId: string,
    request: { username: string; displayName: string; role: Role; password: string },
  ): Promise<UserSummary>;
  updateUser(
    senderId: string,
    request: {
      id: string;
      displayName?: string;
      role?: Role;
      disabled?: boolean;
      password?: string;
      resetTwoFactor?: true;
    },
  ): Promise<UserSummary>;
}

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

function signedInUser(user: UserRecord): SignedInUser {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

export function createAuthService(deps: AuthServiceDeps): AuthService {
  const { audit, events, clock, logger } = deps;
  const lockoutPolicy = deps.lockout ?? DEFAULT_LOCKOUT;
  const scryptParams = deps.scrypt ?? DEFAULT_SCRYPT;
  const sessions = createSessionTable();
  const now = () => clock.now();
  const iso = () => clock.now().toISOString();
  const actorOfUser = (user: Pick<UserRecord, 'id' | 'role'>): AuditActor => ({
    userId: user.id,
    role: user.role,
  });

  /** The window's session after applying idle lock and the account's current state. */
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
    };
  }

  function refuseIfLockedOut(user: UserRecord, action: string): void {
    const until = lockedUntil(user, now(), lockoutPolicy);
    if (!until) return;
    audit.record({ actor: actorOfUser(user), action, outcome: 'denied', detail: 'locked-out' });
    throw new AppError('FORBIDDEN', AUTH_MESSAGES.tooMany(describeWait(until, now())));
  }

  /**
   * Failed sign-ins per window, whatever the username: guessing across many usernames (each with its
   * own counter, or none at all) still slows down at the keyboard it is tried from.
   */
  const windowFailures = new Map<string, { failedAttempts: number; lastFailedAt: string | null }>();
  const windowLockout: LockoutPolicy = { ...lockoutPolicy, freeAttempts: lockoutPolicy.freeAttempts * 2 };

  function refuseIfWindowThrottled(senderId: string): void {
    const state = windowFailures.get(senderId);
    const until = state ? lockedUntil(state, now(), windowLockout) : null;
    if (!until) return;
    audit.record({ actor: NO_ACTOR, action: 'auth.signIn', outcome: 'denied', detail: 'window-throttled' });
    throw new AppError('FORBIDDEN', AUTH_MESSAGES.tooMany(describeWait(until, now())));
  }

  function noteWindowFailure(senderId: string): void {
    const state = windowFailures.get(senderId) ?? { failedAttempts: 0, lastFailedAt: null };
    windowFailures.set(senderId, { failedAttempts: state.failedAttempts + 1, lastFailedAt: iso() });
  }

  /** Counts a failed proof towards the account's lockout, audits it, and throws `error`. */
  function fail(
    user: UserRecord,
    action: string,
    detail: string,
    message: string,
    error: AppError = new AppError('NOT_SIGNED_IN', message),
  ): never {
    deps.users().recordFailure(user.id, iso());
    audit.record({ actor: actorOfUser(user), action, outcome: 'failure', detail });
    logger.warn('auth.failed', { action, reason: detail });
    throw error;
  }

  /**
   * Checks the second factor when one was given. Returns true when a valid code or recovery code was
   * given, false when none was given; throws (counting a failure) when one was given and is wrong.
   */
  async function checkSecondFactor(
    user: UserRecord,
    action: string,
    given: { totp?: string; recoveryCode?: string },
  ): Promise<boolean> {
    if (!user.totpSecret) return false;
    const store = deps.users();
    if (given.totp) {
      const check = await checkTotp(user.totpSecret, given.totp, clock, user.totpLastStep);
      if (!check.valid) fail(user, action, 'wrong-code', AUTH_MESSAGES.wrongCode);
      store.setTotpLastStep(user.id, check.timeStep);
      return true;
    }
    if (given.recoveryCode) {
      const hashes = store.unusedRecoveryCodeHashes(user.id);
      const index = matchRecoveryCode(given.recoveryCode, user.recoverySalt, hashes);
      if (index < 0 || !store.useRecoveryCode(user.id, hashes[index]!, iso()))
        fail(user, action, 'wrong-recovery-code', AUTH_MESSAGES.wrongCode);
      audit.record({
        actor: actorOfUser(user),
        action: 'auth.recoveryCodeUsed',
        outcome: 'success',
        detail: `${hashes.length - 1}-left`,
      });
      return true;
    }
    return false;
  }

  async function signInOnce(
    senderId: string,
    request: { username: string; password: string; totp?: string; recoveryCode?: string },
  ): Promise<SignInResult> {
    const store = deps.users();
    if (store.count() === 0) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.noAccounts);
    const user = store.byUsername(request.username);
    if (!user) {
      // Same work as a real check, so the time taken does not reveal which usernames exist.
      await verifyPassword(request.password, await decoyPasswordHash(scryptParams), scryptParams);
      audit.record({ actor: NO_ACTOR, action: 'auth.signIn', outcome: 'failure', detail: 'unknown-user' });
      logger.warn('auth.failed', { action: 'auth.signIn', reason: 'unknown-user' });
      throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.wrongCredentials);
    }
    refuseIfLockedOut(user, 'auth.signIn');
    const check = await verifyPassword(request.password, user.passwordHash, scryptParams);
    if (!check.valid) fail(user, 'auth.signIn', 'wrong-password', AUTH_MESSAGES.wrongCredentials);
    if (user.disabled) {
      audit.record({
        actor: actorOfUser(user),
        action: 'auth.signIn',
        outcome: 'denied',
        detail: 'account-disabled',
      });
      throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.disabled);
    }
    if (check.needsRehash)
      store.update(user.id, { passwordHash: await hashPassword(request.password, scryptParams) }, iso());
    const secondFactor = await checkSecondFactor(user, 'auth.signIn', request);
    if (user.totpSecret && !secondFactor) return { result: 'two-factor-required' };
    store.clearFailures(user.id);
    return startSession(senderId, user, secondFactor);
  }

  function startSession(senderId: string, user: UserRecord, secondFactor: boolean): SignInResult {
    const previous = sessions.end(senderId);
    if (previous) {
      // Quick user switch: whoever was signed in at this window is signed out.
      audit.record({
        actor: { userId: previous.userId, role: previous.role },
        action: 'auth.signOut',
        outcome: 'success',
        detail: previous.userId === user.id ? 'signed-in-again' : 'user-switch',
      });
    }
    const stage = stageAfterPassword(user);
    sessions.start(
      {
        senderId,
        userId: user.id,
        role: user.role,
        stage,
        lastSecondFactorAt: secondFactor ? now() : null,
      },
      now(),
    );
    audit.record({
      actor: actorOfUser(user),
      action: 'auth.signIn',
      outcome: 'success',
      detail: stage !== 'active' ? stage : secondFactor ? 'two-factor' : 'password-only',
    });
    logger.info('auth.signed_in', { role: user.role, twoFactor: secondFactor });
    events.emit('auth.changed', { reason: 'signed-in' });
    const status = statusOf(senderId);
    return { result: stage === 'active' ? 'signed-in' : stage, status };
  }

  /** Two-factor is set up only once the user's password is their own: the order of the sign-in steps. */
  function refuseBeforeOwnPassword(session: Session): void {
    if (session.stage === 'password-change-required')
      throw new AppError('NOT_SIGNED_IN', UNFINISHED_STEP[session.stage]);
  }

  /** The first step a user with a right password still has to take: own password, then two-factor. */
  function stageAfterPassword(user: UserRecord): SessionStage {
    if (user.mustChangePassword) return 'password-change-required';
    return stageAfterOwnPassword(user);
  }
  function stageAfterOwnPassword(user: UserRecord): SessionStage {
    return deps.policy().requireTwoFactor && user.totpSecret === null ? 'enrolment-required' : 'active';
  }

  function requireSession(senderId: string): Session {
    const session = current(senderId);
    if (!session) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
    return session;
  }

  function requireAdmin(senderId: string): { session: Session; actor: AuditActor } {
    const session = requireActiveSession(senderId);
    if (session.role !== 'admin') throw new AppError('FORBIDDEN', AUTH_MESSAGES.forbidden);
    return { session, actor: { userId: session.userId, role: session.role } };
  }

  function requireActiveSession(senderId: string): Session {
    const session = requireSession(senderId);
    if (session.stage !== 'active') throw new AppError('NOT_SIGNED_IN', UNFINISHED_STEP[session.stage]);
    if (session.lockedAt) throw new AppError('LOCKED', AUTH_MESSAGES.locked);
    return session;
  }

  return {
    status: statusOf,

    async setupFirstAdmin(senderId, request) {
      const store = deps.users();
      if (store.count() > 0) throw new AppError('CONFLICT', AUTH_MESSAGES.setupDone);
      const passwordHash = await hashPassword(request.password, scryptParams);
      const user = store.createFirst(
        {
          username: request.username,
          displayName: request.displayName,
          role: 'admin',
          passwordHash,
          mustChangePassword: false,
        },
        iso(),
      );
      if (!user) throw new AppError('CONFLICT', AUTH_MESSAGES.setupDone);
      audit.record({
        actor: actorOfUser(user),
        action: 'users.create',
        resourceType: 'Practitioner',
        resourceId: user.id,
        outcome: 'success',
        detail: 'first-admin',
      });
      return startSession(senderId, user, false);
    },

    async signIn(senderId, request) {
      refuseIfWindowThrottled(senderId);
      try {
        const result = await signInOnce(senderId, request);
        if (result.result !== 'two-factor-required') windowFailures.delete(senderId);
        return result;
      } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_SIGNED_IN') noteWindowFailure(senderId);
        throw error;
      }
    },

    signOut(senderId) {
      const session = sessions.end(senderId);
      if (session) {
        audit.record({
          actor: { userId: session.userId, role: session.role },
          action: 'auth.signOut',
          outcome: 'success',
        });
        logger.info('auth.signed_out');
        events.emit('auth.changed', { reason: 'signed-out' });
      }
      return statusOf(senderId);
    },

    lock(senderId) {
      const session = requireSession(senderId);
      if (!session.lockedAt) {
        session.lockedAt = now();
        session.lockReason = 'manual';
        audit.record({
          actor: { userId: session.userId, role: session.role },
          action: 'auth.lock',
          outcome: 'success',
          detail: 'manual',
        });
        logger.info('auth.locked', { reason: 'manual' });
        events.emit('auth.changed', { reason: 'locked' });
      }
      return statusOf(senderId);
    },

    async unlock(senderId, request) {
      const session = requireSession(senderId);
      const store = deps.users();
      const user = store.byId(session.userId);
      if (!user) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
      if (!session.lockedAt) return { result: 'signed-in', status: statusOf(senderId) };
      refuseIfLockedOut(user, 'auth.unlock');
      const check = await verifyPassword(request.password, user.passwordHash, scryptParams);
      if (!check.valid) fail(user, 'auth.unlock', 'wrong-password', AUTH_MESSAGES.wrongCredentials);
      const needsCode =
        user.totpSecret !== null &&
        secondFactorStale(session, now(), deps.policy().reauthTwoFactorAfterMinutes);
      const secondFactor = await checkSecondFactor(user, 'auth.unlock', request);
      if (needsCode && !secondFactor) return { result: 'two-factor-required' };
      store.clearFailures(user.id);
      session.lockedAt = null;
      session.lockReason = null;
      session.lastActivityAt = now();
      if (secondFactor) session.lastSecondFactorAt = now();
      audit.record({
        actor: actorOfUser(user),
        action: 'auth.unlock',
        outcome: 'success',
        detail: secondFactor ? 'two-factor' : 'password',
      });
      logger.info('auth.unlocked');
      events.emit('auth.changed', { reason: 'unlocked' });
      return { result: 'signed-in', status: statusOf(senderId) };
    },

    async enrolTotp(senderId) {
      const session = requireSession(senderId);
      if (session.lockedAt) throw new AppError('LOCKED', AUTH_MESSAGES.locked);
      refuseBeforeOwnPassword(session);
      const user = deps.users().byId(session.userId);
      if (!user) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
      // Replacing a working authenticator from an open session would let anyone at an unlocked screen
      // take over the account's second factor: that goes through an administrator's reset instead.
      if (user.totpSecret !== null) throw new AppError('CONFLICT', AUTH_MESSAGES.alreadyEnrolled);
      const secret = newTotpSecret();
      const recoveryCodes = newRecoveryCodes();
      session.pendingTotp = { secret, recoveryCodes };
      const otpauthUrl = totpUri(secret, deps.issuer(), user.username);
      audit.record({
        actor: actorOfUser(user),
        action: 'auth.enrolTotp',
        outcome: 'success',
        detail: 'started',
      });
      return { otpauthUrl, qrDataUrl: await totpQrDataUrl(otpauthUrl), secret, recoveryCodes };
    },

    async confirmTotp(senderId, code) {
      const session = requireSession(senderId);
      if (session.lockedAt) throw new AppError('LOCKED', AUTH_MESSAGES.locked);
      refuseBeforeOwnPassword(session);
      const pending = session.pendingTotp;
      if (!pending) throw new AppError('CONFLICT', AUTH_MESSAGES.noEnrolment);
      const store = deps.users();
      const user = store.byId(session.userId);
      if (!user) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
      refuseIfLockedOut(user, 'auth.confirmTotp');
      const check = await checkTotp(pending.secret, code, clock, null);
      if (!check.valid) fail(user, 'auth.confirmTotp', 'wrong-code', AUTH_MESSAGES.wrongCode);
      store.setTotp(
        user.id,
        pending.secret,
        pending.recoveryCodes.map((c) => hashRecoveryCode(c, user.recoverySalt)),
        check.timeStep,
        iso(),
      );
      store.clearFailures(user.id);
      session.pendingTotp = null;
      session.stage = 'active';
      session.lastSecondFactorAt = now();
      session.lastActivityAt = now();
      audit.record({
        actor: actorOfUser(user),
        action: 'auth.enrolTotp',
        outcome: 'success',
        detail: 'confirmed',
      });
      logger.info('auth.totp_enrolled');
      events.emit('auth.changed', { reason: 'signed-in' });
      return statusOf(senderId);
    },

    async changePassword(senderId, request) {
      const session = requireSession(senderId);
      if (session.lockedAt) throw new AppError('LOCKED', AUTH_MESSAGES.locked);
      if (session.stage === 'enrolment-required')
        throw new AppError('NOT_SIGNED_IN', UNFINISHED_STEP[session.stage]);
      const store = deps.users();
      const user = store.byId(session.userId);
      if (!user) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
      const action = 'auth.changePassword';
      // An unlocked screen left behind must not let a passer-by guess the password without limit.
      refuseIfLockedOut(user, action);
      const check = await verifyPassword(request.currentPassword, user.passwordHash, scryptParams);
      if (!check.valid) {
        const message = AUTH_MESSAGES.wrongCurrentPassword;
        // The session stays: a typo in the old password is not a reason to be signed out.
        fail(
          user,
          action,
          'wrong-password',
          message,
          new AppError('BAD_REQUEST', message, [{ path: 'currentPassword', message }]),
        );
      }
      if (request.newPassword === request.currentPassword)
        throw new AppError('BAD_REQUEST', AUTH_MESSAGES.samePassword, [
          { path: 'newPassword', message: AUTH_MESSAGES.samePassword },
        ]);
      store.update(
        user.id,
        { passwordHash: await hashPassword(request.newPassword, scryptParams), mustChangePassword: false },
        iso(),
      );
      store.clearFailures(user.id);
      const wasRequired = session.stage === 'password-change-required';
      if (wasRequired) session.stage = stageAfterOwnPassword(user);
      // Whoever knew the old password may be signed in at another window of this workstation.
      const elsewhere = sessions.ofUser(user.id).filter((s) => s.senderId !== senderId);
      for (const other of elsewhere) sessions.end(other.senderId);
      audit.record({
        actor: actorOfUser(user),
        action,
        resourceType: 'Practitioner',
        resourceId: user.id,
        outcome: 'success',
        detail:
          [
            wasRequired && 'was-set-by-admin',
            elsewhere.length > 0 && `signed-out-elsewhere:${elsewhere.length}`,
          ]
            .filter(Boolean)
            .join(' ') || null,
      });
      logger.info('auth.password_changed', { signedOutElsewhere: elsewhere.length });
      if (elsewhere.length > 0) events.emit('auth.changed', { reason: 'signed-out' });
      else if (wasRequired) events.emit('auth.changed', { reason: 'signed-in' });
      return { signedOutElsewhere: elsewhere.length };
    },

    activity(senderId) {
      const session = current(senderId);
      if (session && !session.lockedAt) session.lastActivityAt = now();
      return statusOf(senderId).state;
    },

    requireActiveSession,

    actorOf(senderId) {
      const session = sessions.get(senderId);
      return session ? { userId: session.userId, role: session.role } : NO_ACTOR;
    },

    sweep() {
      for (const session of sessions.all()) current(session.senderId);
    },

    listUsers: () => deps.users().list().map(summaryOf),

    async createUser(senderId, request) {
      const { actor } = requireAdmin(senderId);
      const passwordHash = await hashPassword(request.password, scryptParams);
      const user = deps.users().create(
        {
          username: request.username,
          displayName: request.displayName,
          role: request.role,
          passwordHash,
          mustChangePassword: true,
        },
        iso(),
      );
      if (!user) throw new AppError('CONFLICT', AUTH_MESSAGES.usernameTaken);
      audit.record({
        actor,
        action: 'users.create',
        resourceType: 'Practitioner',
        resourceId: user.id,
        outcome: 'success',
        detail: `role:${user.role}`,
      });
      logger.info('users.created', { role: user.role });
      return summaryOf(user);
    },

    async updateUser(senderId, request) {
      const { actor } = requireAdmin(senderId);
      const store = deps.users();
      const user = store.byId(request.id);
      if (!user) throw new AppError('NOT_FOUND', AUTH_MESSAGES.noSuchUser);
      const losesAdmin =
        user.role === 'admin' &&
        !user.disabled &&
        ((request.role !== undefined && request.role !== 'admin') || request.disabled === true);
      if (losesAdmin && store.countActiveAdmins() <= 1)
        throw new AppError('CONFLICT', AUTH_MESSAGES.lastAdmin);
      const passwordHash = request.password ? await hashPassword(request.password, scryptParams) : undefined;
      store.update(
        user.id,
        {
          ...(request.displayName !== undefined ? { displayName: request.displayName } : {}),
          ...(request.role !== undefined ? { role: request.role } : {}),
          ...(request.disabled !== undefined ? { disabled: request.disabled } : {}),
          // A password the administrator set is theirs to know: the user chooses their own next time.
          ...(passwordHash ? { passwordHash, mustChangePassword: true } : {}),
        },
        iso(),
      );
      if (passwordHash) store.clearFailures(user.id);
      if (request.resetTwoFactor) store.resetTwoFactor(user.id, iso());
      const changed = [
        request.displayName !== undefined && 'displayName',
        request.role !== undefined && `role:${request.role}`,
        request.disabled !== undefined && (request.disabled ? 'disabled' : 'enabled'),
        passwordHash && 'password',
        request.resetTwoFactor && 'two-factor-reset',
      ].filter((x): x is string => typeof x === 'string');
      audit.record({
        actor,
        action: 'users.update',
        resourceType: 'Practitioner',
        resourceId: user.id,
        outcome: 'success',
        detail: changed.join(' ') || null,
      });
      logger.info('users.updated', { fields: changed });
      // A switched-off account is signed out everywhere at once, not at its next call.
      if (request.disabled) for (const s of sessions.ofUser(user.id)) current(s.senderId);
      return summaryOf(store.byId(user.id)!);
    },
  };
}
