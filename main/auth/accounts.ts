/**
 * Account administration: an administrator lists, creates and changes staff accounts, and resets a
 * forgotten password or a lost authenticator. A password an administrator sets is temporary.
 */
import { AppError } from '../../shared/ipc';
import type { UserSummary } from '../../shared/ipc/channels/users';
import type { Role } from '../../shared/ipc/contract';
import { summaryOf, type AuthContext } from './context';
import { AUTH_MESSAGES } from './messages';
import { DEFAULT_SCRYPT, hashPassword } from './password';
import { refuseCommonPassword } from './password-rules';
import { keepOnlyWithRecords } from './recorded-change';
import type { UserRecord } from './user-store';

export interface AccountsFlow {
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

export function createAccountsFlow(ctx: AuthContext): AccountsFlow {
  const { audit, logger, events } = ctx.deps;
  const scryptParams = ctx.deps.scrypt ?? DEFAULT_SCRYPT;

  /** The last active administrator cannot be switched off or given another role: nobody could sign in to undo it. */
  function refuseLastAdminLoss(user: UserRecord, request: { role?: Role; disabled?: boolean }): void {
    const losesAdmin =
      user.role === 'admin' &&
      !user.disabled &&
      ((request.role !== undefined && request.role !== 'admin') || request.disabled === true);
    if (losesAdmin && ctx.deps.users().countActiveAdmins() <= 1)
      throw new AppError('CONFLICT', AUTH_MESSAGES.lastAdmin);
  }

  function endSessionsOf(userId: string, exceptSenderId: string, reasons: string[]): void {
    const ended = ctx.sessions.ofUser(userId).filter((s) => s.senderId !== exceptSenderId);
    for (const session of ended) {
      ctx.sessions.end(session.senderId);
      audit.record({
        actor: { userId: session.userId, role: session.role },
        action: 'auth.signOut',
        outcome: 'success',
        detail: `reset-by-admin:${reasons.filter((r) => r === 'password' || r === 'two-factor-reset').join(',')}`,
      });
    }
    if (ended.length > 0) {
      logger.info('auth.signed_out', { reason: 'reset-by-admin', count: ended.length });
      events.emit('auth.changed', { reason: 'signed-out' });
    }
  }

  return {
    listUsers: () => ctx.deps.users().list().map(summaryOf),

    async createUser(senderId, request) {
      const { actor } = ctx.requireAdmin(senderId);
      refuseCommonPassword(request.password, 'password');
      const passwordHash = await hashPassword(request.password, scryptParams);
      const store = ctx.deps.users();
      // No account exists without the record of who created it: both are saved, or neither.
      const user = keepOnlyWithRecords(
        store,
        audit,
        () => {
          const created = store.create(
            {
              username: request.username,
              displayName: request.displayName,
              role: request.role,
              passwordHash,
              mustChangePassword: true,
            },
            ctx.iso(),
          );
          if (!created) throw new AppError('CONFLICT', AUTH_MESSAGES.usernameTaken);
          return created;
        },
        (created) => [
          {
            actor,
            action: 'users.create',
            resourceType: 'Practitioner',
            resourceId: created.id,
            outcome: 'success',
            detail: `role:${created.role}`,
          },
        ],
      );
      logger.info('users.created', { role: user.role });
      return summaryOf(user);
    },

    async updateUser(senderId, request) {
      const { actor } = ctx.requireAdmin(senderId);
      const store = ctx.deps.users();
      const user = store.byId(request.id);
      if (!user) throw new AppError('NOT_FOUND', AUTH_MESSAGES.noSuchUser);
      refuseLastAdminLoss(user, request);
      if (request.password) refuseCommonPassword(request.password, 'password');
      const passwordHash = request.password ? await hashPassword(request.password, scryptParams) : undefined;
      const changed = [
        request.displayName !== undefined && 'displayName',
        request.role !== undefined && `role:${request.role}`,
        request.disabled !== undefined && (request.disabled ? 'disabled' : 'enabled'),
        passwordHash && 'password',
        request.resetTwoFactor && 'two-factor-reset',
      ].filter((x): x is string => typeof x === 'string');
      // The change and its record are saved together or not at all: nothing is put back afterwards, so
      // a failed sign-in counted on this account meanwhile stays counted.
      keepOnlyWithRecords(
        store,
        audit,
        () => {
          // As the account stands after the wait for the hash: another administrator may have changed it.
          const current = store.byId(user.id);
          if (!current) throw new AppError('NOT_FOUND', AUTH_MESSAGES.noSuchUser);
          refuseLastAdminLoss(current, request);
          store.update(
            user.id,
            {
              ...(request.displayName !== undefined ? { displayName: request.displayName } : {}),
              ...(request.role !== undefined ? { role: request.role } : {}),
              ...(request.disabled !== undefined ? { disabled: request.disabled } : {}),
              // A password the administrator set is theirs to know: the user chooses their own next time.
              ...(passwordHash ? { passwordHash, mustChangePassword: true } : {}),
            },
            ctx.iso(),
          );
          if (passwordHash) store.clearFailures(user.id);
          if (request.resetTwoFactor) store.resetTwoFactor(user.id, ctx.iso());
        },
        () => [
          {
            actor,
            action: 'users.update',
            resourceType: 'Practitioner',
            resourceId: user.id,
            outcome: 'success',
            detail: changed.join(' ') || null,
          },
        ],
      );
      logger.info('users.updated', { fields: changed });
      // A switched-off account is signed out everywhere at once, not at its next call.
      if (request.disabled) for (const s of ctx.sessions.ofUser(user.id)) ctx.current(s.senderId);
      // A reset is for a password or an authenticator someone else may hold: whoever is signed in with
      // the old one is signed out (the administrator's own window stays, if they reset themselves).
      if (passwordHash || request.resetTwoFactor) endSessionsOf(user.id, senderId, changed);
      return summaryOf(store.byId(user.id)!);
    },
  };
}
