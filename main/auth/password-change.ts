/** A signed-in user changing their own password: the current one is required, other windows signed out. */
import { AppError } from '../../shared/ipc';
import { actorOfUser, type AuthContext } from './context';
import type { LockoutGuard } from './lockout-guard';
import { AUTH_MESSAGES, UNFINISHED_STEP } from './messages';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from './password';
import { refuseCommonPassword } from './password-rules';
import { keepOnlyWithRecords } from './recorded-change';

export interface PasswordChangeFlow {
  changePassword(
    senderId: string,
    request: { currentPassword: string; newPassword: string },
  ): Promise<{ signedOutElsewhere: number }>;
}

export function createPasswordChangeFlow(ctx: AuthContext, guard: LockoutGuard): PasswordChangeFlow {
  const { audit, events, logger } = ctx.deps;
  const scryptParams = ctx.deps.scrypt ?? DEFAULT_SCRYPT;

  return {
    async changePassword(senderId, request) {
      const session = ctx.requireSession(senderId);
      if (session.lockedAt) throw new AppError('LOCKED', AUTH_MESSAGES.locked);
      if (session.stage === 'enrolment-required')
        throw new AppError('NOT_SIGNED_IN', UNFINISHED_STEP[session.stage]);
      const store = ctx.deps.users();
      const user = store.byId(session.userId);
      if (!user) throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
      const action = 'auth.changePassword';
      // An unlocked screen left behind must not let a passer-by guess the password without limit.
      guard.beginAttempt(user, action);
      const check = await verifyPassword(request.currentPassword, user.passwordHash, scryptParams);
      if (!check.valid) {
        const message = AUTH_MESSAGES.wrongCurrentPassword;
        // The session stays: a typo in the old password is not a reason to be signed out.
        guard.fail(
          user,
          action,
          'wrong-password',
          message,
          new AppError('BAD_REQUEST', message, [{ path: 'currentPassword', message }]),
        );
      }
      guard.succeeded(user);
      if (request.newPassword === request.currentPassword)
        throw new AppError('BAD_REQUEST', AUTH_MESSAGES.samePassword, [
          { path: 'newPassword', message: AUTH_MESSAGES.samePassword },
        ]);
      refuseCommonPassword(request.newPassword, 'newPassword');
      const passwordHash = await hashPassword(request.newPassword, scryptParams);
      const wasRequired = session.stage === 'password-change-required';
      // Whoever knew the old password may be signed in at another window of this workstation.
      const elsewhere = ctx.sessions.ofUser(user.id).filter((s) => s.senderId !== senderId);
      // The old password stays the password unless the new one is saved with its record (one
      // transaction, nothing put back afterwards); only then is anyone signed out or the step passed.
      const saved = keepOnlyWithRecords(
        store,
        audit,
        () => {
          // A reset or a switch-off saved while the passwords were hashed ended this session: the
          // password it checked may no longer be the account's, so nothing is written over the reset.
          if (ctx.sessions.get(senderId) !== session)
            throw new AppError('NOT_SIGNED_IN', AUTH_MESSAGES.notSignedIn);
          // Written only over the credentials the current password was checked against (compare-and-set
          // on their version): a change of them saved meanwhile, however it was made, is never
          // overwritten. A new name or role saved meanwhile does not stop it.
          return store.update(
            user.id,
            { passwordHash, mustChangePassword: false },
            ctx.iso(),
            user.credentialsVersion,
          );
        },
        (written) =>
          written
            ? [
                {
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
                },
              ]
            : [],
      );
      if (!saved) {
        audit.record({ actor: actorOfUser(user), action, outcome: 'denied', detail: 'account-changed' });
        throw new AppError('CONFLICT', AUTH_MESSAGES.changedMeanwhile);
      }
      if (wasRequired) session.stage = ctx.stageAfterOwnPassword(user);
      for (const other of elsewhere) ctx.sessions.end(other.senderId);
      logger.info('auth.password_changed', { signedOutElsewhere: elsewhere.length });
      if (elsewhere.length > 0) events.emit('auth.changed', { reason: 'signed-out' });
      else if (wasRequired) events.emit('auth.changed', { reason: 'signed-in' });
      return { signedOutElsewhere: elsewhere.length };
    },
  };
}
