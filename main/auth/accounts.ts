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
      // Who the change signs out: a switched-off account everywhere; after a reset of a password or an
      // authenticator someone else may hold, whoever is signed in with the old one (the administrator's
      // own window stays, if they reset themselves).
      const signOut = request.disabled
        ? { reason: 'account-disabled', except: null }
        : passwordHash || request.resetTwoFactor
          ? {
              reason: `reset-by-admin:${changed.filter((c) => c === 'password' || c === 'two-factor-reset').join(',')}`,
              except: senderId,
            }
          : undefined;
      // The change, its record and the records of the sign-outs it causes are saved together or not at
      // all: nothing is put back afterwards, so a failed sign-in counted on this account meanwhile stays
      // counted, and nobody is signed out by a change that was not saved.
      const ended = keepOnlyWithRecords(
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
          // The sessions in memory now; ended below with no wait in between, so exactly these.
          return signOut ? ctx.sessions.ofUser(user.id).filter((s) => s.senderId !== signOut.except) : [];
        },
        (sessions) => [
          {
            actor,
            action: 'users.update',
            resourceType: 'Practitioner',
            resourceId: user.id,
            outcome: 'success',
            detail: changed.join(' ') || null,
          },
          ...sessions.map((session) => ({
            actor: { userId: session.userId, role: session.role },
            action: 'auth.signOut',
            outcome: 'success' as const,
            detail: signOut?.reason ?? null,
          })),
        ],
      );
      logger.info('users.updated', { fields: changed });
      // Signed out at once, not at their next call.
      for (const session of ended) ctx.sessions.end(session.senderId);
      if (ended.length > 0) {
        logger.info('auth.signed_out', {
          reason: request.disabled ? 'account-disabled' : 'reset-by-admin',
          count: ended.length,
        });
        events.emit('auth.changed', { reason: 'signed-out' });
      }
      return summaryOf(store.byId(user.id)!);
    },
  };
}
