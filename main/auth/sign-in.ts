/**
 * Signing in and out at a window: first-run setup of the first administrator, password (+ second step)
 * sign-in, quick user switch, sign-out, and locking and unlocking the screen.
 */
import { AppError } from '../../shared/ipc';
import type { AuthStatus, SignInResult } from '../../shared/ipc/channels/auth';
import { NO_ACTOR } from '../audit/recorder';
import { actorOfUser, type AuthContext } from './context';
import type { LockoutGuard } from './lockout-guard';
import { AUTH_MESSAGES } from './messages';
import { decoyPasswordHash, DEFAULT_SCRYPT, hashPassword, verifyPassword } from './password';
import { refuseCommonPassword } from './password-rules';
import { keepOnlyWithRecords } from './recorded-change';
import { secondFactorStale } from './sessions';
import type { TwoStepFlow } from './two-step';
import type { UserRecord } from './user-store';

export interface SignInFlow {
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
}

export function createSignInFlow(ctx: AuthContext, guard: LockoutGuard, twoStep: TwoStepFlow): SignInFlow {
  const { audit, events, logger } = ctx.deps;
  const scryptParams = ctx.deps.scrypt ?? DEFAULT_SCRYPT;

  function startSession(senderId: string, user: UserRecord, secondFactor: boolean): SignInResult {
    const previous = ctx.sessions.end(senderId);
    if (previous) {
      // Quick user switch: whoever was signed in at this window is signed out.
      audit.record({
        actor: { userId: previous.userId, role: previous.role },
        action: 'auth.signOut',
        outcome: 'success',
        detail: previous.userId === user.id ? 'signed-in-again' : 'user-switch',
      });
    }
    const stage = ctx.stageAfterPassword(user);
    ctx.sessions.start(
      {
        senderId,
        userId: user.id,
        role: user.role,
        stage,
        lastSecondFactorAt: secondFactor ? ctx.now() : null,
      },
      ctx.now(),
    );
    audit.record({
      actor: actorOfUser(user),
      action: 'auth.signIn',
      outcome: 'success',
      detail: stage !== 'active' ? stage : secondFactor ? 'two-factor' : 'password-only',
    });
    logger.info('auth.signed_in', { role: user.role, twoFactor: secondFactor });
    events.emit('auth.changed', { reason: 'signed-in' });
    const status = ctx.statusOf(senderId);
    return { result: stage === 'active' ? 'signed-in' : stage, status };
  }

  /**
   * Whether the account's credentials still stand as the sign-in read them before its slow checks: the
   * same credentials version, and switched on. An administrator's reset or switch-off (even one undone
   * within the same millisecond), or a new password or authenticator of the user's own, made while the
   * password or code was being checked means the proof given is no longer the account's. A new name or
   * role, or the same password rehashed at today's cost by a sign-in at another window, is not a change
   * of them. This look is early, to spare the code; the commit's compare-and-set is what decides.
   */
  function unchangedSince(read: UserRecord, now: UserRecord | undefined): boolean {
    return now !== undefined && !now.disabled && now.credentialsVersion === read.credentialsVersion;
  }

  /**
   * A sign-in whose account changed during its checks is refused like a wrong password: the attempt
   * stays counted, nothing tells whoever typed it that a reset happened, and the account's current
   * password and code sign in as usual.
   */
  function refuseChanged(read: UserRecord): never {
    return guard.fail(read, 'auth.signIn', 'account-changed', AUTH_MESSAGES.wrongCredentials);
  }

  async function signInOnce(
    senderId: string,
    request: { username: string; password: string; totp?: string; recoveryCode?: string },
  ): Promise<SignInResult> {
    const store = ctx.deps.users();
    if (store.count() === 0) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.noAccounts);
    const read = store.byUsername(request.username);
    if (!read) {
      // Same work as a real check, so the time taken does not reveal which usernames exist.
      await verifyPassword(request.password, await decoyPasswordHash(scryptParams), scryptParams);
      audit.record({ actor: NO_ACTOR, action: 'auth.signIn', outcome: 'failure', detail: 'unknown-user' });
      logger.warn('auth.failed', { action: 'auth.signIn', reason: 'unknown-user' });
      throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.wrongCredentials);
    }
    guard.beginAttempt(read, 'auth.signIn');
    const check = await verifyPassword(request.password, read.passwordHash, scryptParams);
    if (!check.valid) guard.fail(read, 'auth.signIn', 'wrong-password', AUTH_MESSAGES.wrongCredentials);
    if (read.disabled) {
      guard.refundAttempt(read);
      audit.record({
        actor: actorOfUser(read),
        action: 'auth.signIn',
        outcome: 'denied',
        detail: 'account-disabled',
      });
      throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.disabled);
    }
    // The password was checked against the account as read before the wait: it must still be the one.
    // (The code is then checked as before, against that same account: a code another window used
    // meanwhile is refused by the claim of its step, and recorded as reused.)
    if (!unchangedSince(read, store.byId(read.id))) refuseChanged(read);
    if (check.needsRehash) {
      const upgraded = await hashPassword(request.password, scryptParams);
      // Only over the credentials and the hash the password was checked against: never over a reset
      // saved meanwhile, nor a second time over another window's upgrade.
      store.upgradePasswordHash(read.id, read.credentialsVersion, read.passwordHash, upgraded);
    }
    const secondFactor = await twoStep.checkSecondFactor(read, 'auth.signIn', request, () =>
      refuseChanged(read),
    );
    if (read.totpSecret && !secondFactor) {
      guard.refundAttempt(read);
      return { result: 'two-factor-required' };
    }
    // The commit: compare-and-set on the credentials version read before the checks, and the session
    // started with no wait in between. A change of them saved before this point (however quickly
    // undone) is seen here; one saved after it finds this session and ends it. The session takes the
    // account's name and role as they stand now.
    const current = store.succeedIfUnchanged(read.id, read.credentialsVersion);
    if (!current) refuseChanged(read);
    return startSession(senderId, current, secondFactor);
  }

  return {
    async setupFirstAdmin(senderId, request) {
      const store = ctx.deps.users();
      if (store.count() > 0) throw new AppError('CONFLICT', AUTH_MESSAGES.setupDone);
      refuseCommonPassword(request.password, 'password');
      const passwordHash = await hashPassword(request.password, scryptParams);
      // Without its record no first account is made: setup can be done once the trail writes.
      const user = keepOnlyWithRecords(
        store,
        audit,
        () => {
          const created = store.createFirst(
            {
              username: request.username,
              displayName: request.displayName,
              role: 'admin',
              passwordHash,
              mustChangePassword: false,
            },
            ctx.iso(),
          );
          if (!created) throw new AppError('CONFLICT', AUTH_MESSAGES.setupDone);
          return created;
        },
        (created) => [
          {
            actor: actorOfUser(created),
            action: 'users.create',
            resourceType: 'Practitioner',
            resourceId: created.id,
            outcome: 'success',
            detail: 'first-admin',
          },
        ],
      );
      return startSession(senderId, user, false);
    },

    async signIn(senderId, request) {
      guard.beginWindowAttempt(senderId);
      try {
        const result = await signInOnce(senderId, request);
        if (result.result === 'two-factor-required') guard.refundWindowAttempt(senderId);
        else guard.clearWindow(senderId);
        return result;
      } catch (error) {
        // Only a wrong username, password or code counts against the window.
        if (!(error instanceof AppError && error.code === 'NOT_SIGNED_IN'))
          guard.refundWindowAttempt(senderId);
        throw error;
      }
    },

    signOut(senderId) {
      const session = ctx.sessions.end(senderId);
      if (session) {
        audit.record({
          actor: { userId: session.userId, role: session.role },
          action: 'auth.signOut',
          outcome: 'success',
        });
        logger.info('auth.signed_out');
        events.emit('auth.changed', { reason: 'signed-out' });
      }
      return ctx.statusOf(senderId);
    },

    lock(senderId) {
      const session = ctx.requireSession(senderId);
      if (!session.lockedAt) {
        session.lockedAt = ctx.now();
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
      return ctx.statusOf(senderId);
    },

    async unlock(senderId, request) {
      const session = ctx.requireSession(senderId);
      const store = ctx.deps.users();
      const user = store.byId(session.userId);
      if (!user) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
      if (!session.lockedAt) return { result: 'signed-in', status: ctx.statusOf(senderId) };
      guard.beginAttempt(user, 'auth.unlock');
      const check = await verifyPassword(request.password, user.passwordHash, scryptParams);
      if (!check.valid) guard.fail(user, 'auth.unlock', 'wrong-password', AUTH_MESSAGES.wrongCredentials);
      const needsCode =
        user.totpSecret !== null &&
        secondFactorStale(session, ctx.now(), ctx.deps.policy().reauthTwoFactorAfterMinutes);
      /**
       * The credentials the password (and code) were checked against changed during the checks. A
       * reset or a switch-off has also ended this session: it stays ended, and the screen shows the
       * sign-in page, not an unlocked one. Any other change of them leaves the screen locked, refused
       * like a wrong password: what was proved is no longer the account's.
       */
      const refuseChanged = (): never => {
        if (ctx.sessions.get(senderId) !== session) {
          audit.record({
            actor: actorOfUser(user),
            action: 'auth.unlock',
            outcome: 'denied',
            detail: 'signed-out',
          });
          throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
        }
        return guard.fail(user, 'auth.unlock', 'account-changed', AUTH_MESSAGES.wrongCredentials);
      };
      const secondFactor = await twoStep.checkSecondFactor(user, 'auth.unlock', request, refuseChanged);
      if (needsCode && !secondFactor) {
        guard.refundAttempt(user);
        return { result: 'two-factor-required' };
      }
      if (ctx.sessions.get(senderId) !== session) refuseChanged();
      // The commit: compare-and-set on the credentials version the password was checked against. A new
      // name or role saved meanwhile does not stop it.
      if (!store.succeedIfUnchanged(user.id, user.credentialsVersion)) refuseChanged();
      session.lockedAt = null;
      session.lockReason = null;
      session.lastActivityAt = ctx.now();
      if (secondFactor) session.lastSecondFactorAt = ctx.now();
      audit.record({
        actor: actorOfUser(user),
        action: 'auth.unlock',
        outcome: 'success',
        detail: secondFactor ? 'two-factor' : 'password',
      });
      logger.info('auth.unlocked');
      events.emit('auth.changed', { reason: 'unlocked' });
      return { result: 'signed-in', status: ctx.statusOf(senderId) };
    },
  };
}
