/**
 * Two-step sign-in: enrolling an authenticator (secret, QR code, recovery codes, confirmed by a first
 * code) and checking a code or a recovery code at sign-in and unlock.
 */
import { AppError } from '../../shared/ipc';
import type { AuthStatus } from '../../shared/ipc/channels/auth';
import { actorOfUser, type AuthContext } from './context';
import type { LockoutGuard } from './lockout-guard';
import { AUTH_MESSAGES, UNFINISHED_STEP } from './messages';
import { hashRecoveryCode, matchRecoveryCode, newRecoveryCodes } from './recovery-codes';
import { keepOnlyWithRecords } from './recorded-change';
import type { Session } from './sessions';
import { checkTotp, newTotpSecret, totpQrDataUrl, totpUri } from './totp';
import type { UserRecord } from './user-store';

export interface TwoStepFlow {
  /**
   * Checks the second factor when one was given. Returns true when a valid code or recovery code was
   * given, false when none was given; throws (counting a failure) when one was given and is wrong.
   * The code is claimed only while the account's credentials are still those `user` was read with;
   * when they changed meanwhile, nothing is claimed and `accountChanged` decides the refusal.
   */
  checkSecondFactor(
    user: UserRecord,
    action: string,
    given: { totp?: string; recoveryCode?: string },
    accountChanged: () => never,
  ): Promise<boolean>;
  enrolTotp(
    senderId: string,
  ): Promise<{ otpauthUrl: string; qrDataUrl: string; secret: string; recoveryCodes: string[] }>;
  confirmTotp(senderId: string, code: string): Promise<AuthStatus>;
}

export function createTwoStepFlow(ctx: AuthContext, guard: LockoutGuard): TwoStepFlow {
  const { audit, clock, logger, events } = ctx.deps;

  /** Two-factor is set up only once the user's password is their own: the order of the sign-in steps. */
  function refuseBeforeOwnPassword(session: Session): void {
    if (session.stage === 'password-change-required')
      throw new AppError('NOT_SIGNED_IN', UNFINISHED_STEP[session.stage]);
  }

  return {
    async checkSecondFactor(user, action, given, accountChanged) {
      if (!user.totpSecret) return false;
      const store = ctx.deps.users();
      if (given.totp) {
        const check = await checkTotp(user.totpSecret, given.totp, clock, user.totpLastStep);
        if (!check.valid && check.reason === 'clock-behind') {
          // Nobody typed anything wrong: the attempt does not count, and IT is told what to fix.
          guard.refundAttempt(user);
          audit.record({ actor: actorOfUser(user), action, outcome: 'denied', detail: 'clock-behind' });
          logger.warn('auth.clock_behind', { action });
          throw new AppError('CLOCK_BEHIND', AUTH_MESSAGES.clockBehind);
        }
        if (!check.valid) guard.fail(user, action, 'wrong-code', AUTH_MESSAGES.wrongCode);
        // The step is claimed in one conditional update: of two tries with one code, only one gets it.
        const claim = store.useTotpStep(user.id, check.timeStep, user.credentialsVersion);
        if (claim === 'account-changed') accountChanged();
        if (claim === 'already-used') guard.fail(user, action, 'reused-code', AUTH_MESSAGES.wrongCode);
        return true;
      }
      if (given.recoveryCode) {
        const hashes = store.unusedRecoveryCodeHashes(user.id);
        const index = matchRecoveryCode(given.recoveryCode, user.recoverySalt, hashes);
        const claim =
          index < 0
            ? 'already-used'
            : store.useRecoveryCode(user.id, hashes[index]!, ctx.iso(), user.credentialsVersion);
        if (claim === 'account-changed') accountChanged();
        if (claim === 'already-used')
          guard.fail(user, action, 'wrong-recovery-code', AUTH_MESSAGES.wrongCode);
        audit.record({
          actor: actorOfUser(user),
          action: 'auth.recoveryCodeUsed',
          outcome: 'success',
          detail: `${hashes.length - 1}-left`,
        });
        return true;
      }
      return false;
    },

    async enrolTotp(senderId) {
      const session = ctx.requireSession(senderId);
      if (session.lockedAt) throw new AppError('LOCKED', AUTH_MESSAGES.locked);
      refuseBeforeOwnPassword(session);
      const user = ctx.deps.users().byId(session.userId);
      if (!user) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
      // Replacing a working authenticator from an open session would let anyone at an unlocked screen
      // take over the account's second factor: that goes through an administrator's reset instead.
      if (user.totpSecret !== null) throw new AppError('CONFLICT', AUTH_MESSAGES.alreadyEnrolled);
      // A screen that asks again (it re-rendered, or a second tab of the same window) gets the same
      // secret: a QR code already scanned must stay the one that is confirmed.
      const pending = session.pendingTotp ?? { secret: newTotpSecret(), recoveryCodes: newRecoveryCodes() };
      const { secret, recoveryCodes } = pending;
      session.pendingTotp = pending;
      const otpauthUrl = totpUri(secret, ctx.deps.issuer(), user.username);
      audit.record({
        actor: actorOfUser(user),
        action: 'auth.enrolTotp',
        outcome: 'success',
        detail: 'started',
      });
      return { otpauthUrl, qrDataUrl: await totpQrDataUrl(otpauthUrl), secret, recoveryCodes };
    },

    async confirmTotp(senderId, code) {
      const session = ctx.requireSession(senderId);
      if (session.lockedAt) throw new AppError('LOCKED', AUTH_MESSAGES.locked);
      refuseBeforeOwnPassword(session);
      const pending = session.pendingTotp;
      if (!pending) throw new AppError('CONFLICT', AUTH_MESSAGES.noEnrolment);
      const store = ctx.deps.users();
      const user = store.byId(session.userId);
      if (!user) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
      guard.beginAttempt(user, 'auth.confirmTotp');
      const check = await checkTotp(pending.secret, code, clock, null);
      if (!check.valid) guard.fail(user, 'auth.confirmTotp', 'wrong-code', AUTH_MESSAGES.wrongCode);
      guard.succeeded(user);
      // The secret and recovery codes are saved with their record or not at all; until then the
      // enrolment stays pending (same QR code and recovery codes).
      const bound = keepOnlyWithRecords(
        store,
        audit,
        () => {
          // A reset or a switch-off saved while the code was checked ended this session: the
          // authenticator it set up is not bound to the account the reset left.
          if (ctx.sessions.get(senderId) !== session)
            throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
          // Bound only to the credentials the session was checked against (compare-and-set on their
          // version): any change of them saved meanwhile, however it was made, leaves it pending.
          return store.setTotp(
            user.id,
            pending.secret,
            pending.recoveryCodes.map((c) => hashRecoveryCode(c, user.recoverySalt)),
            check.timeStep,
            ctx.iso(),
            user.credentialsVersion,
          );
        },
        (saved) =>
          saved
            ? [
                {
                  actor: actorOfUser(user),
                  action: 'auth.enrolTotp',
                  outcome: 'success',
                  detail: 'confirmed',
                },
              ]
            : [],
      );
      if (!bound) {
        audit.record({
          actor: actorOfUser(user),
          action: 'auth.enrolTotp',
          outcome: 'denied',
          detail: 'account-changed',
        });
        throw new AppError('CONFLICT', AUTH_MESSAGES.changedMeanwhile);
      }
      session.pendingTotp = null;
      session.stage = 'active';
      session.lastSecondFactorAt = ctx.now();
      session.lastActivityAt = ctx.now();
      logger.info('auth.totp_enrolled');
      events.emit('auth.changed', { reason: 'signed-in' });
      return ctx.statusOf(senderId);
    },
  };
}
