/**
 * Staff accounts in the encrypted database (tables from migration 020, credentials version from 025).
 * The only module that writes SQL for users; the auth service decides, this stores. Every write that
 * changes who can get in with what raises the credentials version in the same statement, and every
 * operation that proved something against the account saves its result only where the version is still
 * the one it read (compare-and-set).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../shared/ipc/contract';
import type { Database } from '../db/connection';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  failedAttempts: number;
  lastFailedAt: string | null;
  totpSecret: string | null;
  totpEnrolledAt: string | null;
  totpLastStep: number | null;
  recoverySalt: string;
  /** The password was set by an administrator: the user must choose their own at the next sign-in. */
  mustChangePassword: boolean;
  /**
   * Goes up with every change of who can get in with what (migration 025): a password set, reset or
   * changed, an authenticator confirmed or reset, the account switched off or on. Not with a new name or
   * role, a failed attempt counted, a code used, or the same password rehashed at today's cost.
   */
  credentialsVersion: number;
  createdAt: string;
  updatedAt: string;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  failed_attempts: number;
  last_failed_at: string | null;
  totp_secret: string | null;
  totp_enrolled_at: string | null;
  totp_last_step: number | null;
  recovery_salt: string;
  must_change_password: number;
  credentials_version: number;
  created_at: string;
  updated_at: string;
}

function fromRow(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    passwordHash: row.password_hash,
    disabled: row.disabled === 1,
    failedAttempts: row.failed_attempts,
    lastFailedAt: row.last_failed_at,
    totpSecret: row.totp_secret,
    totpEnrolledAt: row.totp_enrolled_at,
    totpLastStep: row.totp_last_step,
    recoverySalt: row.recovery_salt,
    mustChangePassword: row.must_change_password === 1,
    credentialsVersion: row.credentials_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  /** Set for accounts an administrator creates; not for the first administrator, who chose it. */
  mustChangePassword: boolean;
}

export interface UserStore {
  count(): number;
  countActiveAdmins(): number;
  list(): UserRecord[];
  byId(id: string): UserRecord | undefined;
  byUsername(username: string): UserRecord | undefined;
  /** Inserts; returns undefined when the username is taken (case-insensitive). */
  create(user: NewUser, at: string): UserRecord | undefined;
  /** Creates only while there is no account at all, atomically (first-run setup). */
  createFirst(user: NewUser, at: string): UserRecord | undefined;
  /**
   * Saves the changes; a new password, or the account switched off or on, or its "choose your own
   * password" step changed, raises its credentials version in the same statement (a new name or role
   * does not). With `expectedVersion`, only while the credentials version is still that one
   * (compare-and-set). False when nothing was written.
   */
  update(
    id: string,
    changes: Partial<
      Pick<UserRecord, 'displayName' | 'role' | 'disabled' | 'passwordHash' | 'mustChangePassword'>
    >,
    at: string,
    expectedVersion?: number,
  ): boolean;
  /**
   * Replaces the password hash with a stronger hash of the same password, only if the credentials
   * version and the hash are still the ones the password was checked against (compare-and-set): a
   * reset, a new password, or another window's upgrade saved meanwhile is never overwritten. Not a
   * change of who can get in (the same password still opens it), so neither the credentials version nor
   * updatedAt moves, and a sign-in of the same user under way at another window goes on. False when
   * nothing was written.
   */
  upgradePasswordHash(id: string, expectedVersion: number, expected: string, upgraded: string): boolean;
  /**
   * The commit of a sign-in or an unlock whose proof was checked against credentials version
   * `expectedVersion`: clears the failure count only while that is still the account's version and it
   * is switched on, and returns the account as it stands then (its name and role may be new); undefined,
   * writing nothing, when its credentials changed meanwhile.
   */
  succeedIfUnchanged(id: string, expectedVersion: number): UserRecord | undefined;
  /**
   * Counts an attempt to prove who one is before it is checked, in one transaction, and returns the
   * count as it was before: parallel attempts each see the ones before them, so none slips past lockout.
   */
  beginAttempt(id: string, at: string): { failedAttempts: number; lastFailedAt: string | null };
  /** Takes back one counted attempt (the password was right and the sign-in goes on to its code). */
  refundAttempt(id: string): void;
  clearFailures(id: string): void;
  /**
   * Binds a confirmed authenticator and its recovery codes and raises the credentials version, only
   * while that version is still `expectedVersion`; false, writing nothing, when it is not.
   */
  setTotp(
    id: string,
    secret: string,
    recoveryCodeHashes: readonly string[],
    step: number,
    at: string,
    expectedVersion: number,
  ): boolean;
  /**
   * Records the time step of a code just used, only if it is later than the last one used and the
   * credentials are still those of `expectedVersion`: 'already-used' when the step is not later (the
   * same code used twice, however close together the two tries), 'account-changed' when the account's
   * credentials changed (the code stays unused for the account as it is now).
   */
  useTotpStep(id: string, step: number, expectedVersion: number): CodeClaim;
  /** Forgets the authenticator and the recovery codes, and raises the credentials version. */
  resetTwoFactor(id: string, at: string): void;
  unusedRecoveryCodeHashes(id: string): string[];
  /**
   * Runs `work` in one transaction of the database that also holds the audit trail: an account change
   * and its audit records are saved together, or (when `work` throws) neither is. The store's own
   * transactions and the trail's appends inside it become savepoints of this one.
   */
  inTransaction<T>(work: () => T): T;
  /**
   * Marks a recovery code used while the credentials are still those of `expectedVersion`:
   * 'already-used' when it was (a concurrent second use), 'account-changed' as for useTotpStep.
   */
  useRecoveryCode(id: string, codeHash: string, at: string, expectedVersion: number): CodeClaim;
}

export type CodeClaim = 'claimed' | 'already-used' | 'account-changed';

export function createUserStore(db: Database): UserStore {
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const byUsername = db.prepare('SELECT * FROM users WHERE username = ? COLLATE NOCASE');
  const insert = db.prepare(`INSERT INTO users
    (id, username, display_name, role, password_hash, must_change_password, recovery_salt, created_at, updated_at)
    VALUES (@id, @username, @displayName, @role, @passwordHash, @mustChange, @recoverySalt, @at, @at)`);

  const insertUser = (user: NewUser, at: string): UserRecord | undefined => {
    if (byUsername.get(user.username)) return undefined;
    const id = randomUUID();
    const { mustChangePassword, ...fields } = user;
    insert.run({
      ...fields,
      id,
      at,
      mustChange: mustChangePassword ? 1 : 0,
      recoverySalt: randomBytes(16).toString('hex'),
    });
    return fromRow(byId.get(id) as UserRow);
  };
  const createFirst = db.transaction((user: NewUser, at: string) => {
    const count = db.prepare('SELECT count(*) FROM users').pluck().get() as number;
    return count === 0 ? insertUser(user, at) : undefined;
  });
  const create = db.transaction(insertUser);
  const versionOf = db.prepare('SELECT credentials_version FROM users WHERE id = ?').pluck();
  /** Why a claim conditioned on `expectedVersion` wrote nothing. */
  const unclaimed = (id: string, expectedVersion: number): CodeClaim =>
    versionOf.get(id) === expectedVersion ? 'already-used' : 'account-changed';
  const setTotp = db.transaction(
    (id: string, secret: string, hashes: readonly string[], step: number, at: string, version: number) => {
      const bound = db
        .prepare(
          `UPDATE users SET totp_secret = ?, totp_enrolled_at = ?, totp_last_step = ?, updated_at = ?,
             credentials_version = credentials_version + 1
           WHERE id = ? AND credentials_version = ?`,
        )
        .run(secret, at, step, at, id, version);
      if (bound.changes !== 1) return false;
      // Codes of an earlier enrolment stop working: mark them used rather than delete them.
      db.prepare('UPDATE user_recovery_codes SET used_at = ? WHERE user_id = ? AND used_at IS NULL').run(
        at,
        id,
      );
      const add = db.prepare(
        'INSERT OR IGNORE INTO user_recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)',
      );
      for (const hash of hashes) add.run(id, hash, at);
      return true;
    },
  );
  const succeedIfUnchanged = db.transaction((id: string, version: number) => {
    const cleared = db
      .prepare(
        `UPDATE users SET failed_attempts = 0, last_failed_at = NULL
         WHERE id = ? AND credentials_version = ? AND disabled = 0`,
      )
      .run(id, version);
    return cleared.changes === 1 ? fromRow(byId.get(id) as UserRow) : undefined;
  });
  const useRecoveryCode = db.transaction((id: string, codeHash: string, at: string, version: number) => {
    const used = db
      .prepare(
        `UPDATE user_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL
           AND EXISTS (SELECT 1 FROM users WHERE id = ? AND credentials_version = ?)`,
      )
      .run(at, id, codeHash, id, version);
    return used.changes === 1 ? 'claimed' : unclaimed(id, version);
  });
  const beginAttempt = db.transaction((id: string, at: string) => {
    const before = db
      .prepare(
        'SELECT failed_attempts AS failedAttempts, last_failed_at AS lastFailedAt FROM users WHERE id = ?',
      )
      .get(id) as { failedAttempts: number; lastFailedAt: string | null } | undefined;
    db.prepare('UPDATE users SET failed_attempts = failed_attempts + 1, last_failed_at = ? WHERE id = ?').run(
      at,
      id,
    );
    return before ?? { failedAttempts: 0, lastFailedAt: null };
  });
  const resetTwoFactor = db.transaction((id: string, at: string) => {
    db.prepare(
      `UPDATE users SET totp_secret = NULL, totp_enrolled_at = NULL, totp_last_step = NULL, updated_at = ?,
         credentials_version = credentials_version + 1
       WHERE id = ?`,
    ).run(at, id);
    db.prepare('UPDATE user_recovery_codes SET used_at = ? WHERE user_id = ? AND used_at IS NULL').run(
      at,
      id,
    );
  });

  return {
    count: () => db.prepare('SELECT count(*) FROM users').pluck().get() as number,
    countActiveAdmins: () =>
      db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck().get() as number,
    list: () => (db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(fromRow),
    byId: (id) => {
      const row = byId.get(id) as UserRow | undefined;
      return row ? fromRow(row) : undefined;
    },
    byUsername: (username) => {
      const row = byUsername.get(username) as UserRow | undefined;
      return row ? fromRow(row) : undefined;
    },
    create: (user, at) => create.immediate(user, at),
    createFirst: (user, at) => createFirst.immediate(user, at),
    update(id, changes, at, expectedVersion) {
      const sets: string[] = [];
      const values: unknown[] = [];
      const set = (column: string, value: unknown) => {
        sets.push(`${column} = ?`);
        values.push(value);
      };
      // Whether this changes who can get in with what, as SQL over the row before the update: a new
      // password always does; switching on or off, or the own-password step, only when it differs.
      const credentialChanges: string[] = [];
      const credentialValues: unknown[] = [];
      if (changes.displayName !== undefined) set('display_name', changes.displayName);
      if (changes.role !== undefined) set('role', changes.role);
      if (changes.disabled !== undefined) {
        set('disabled', changes.disabled ? 1 : 0);
        credentialChanges.push('disabled IS NOT ?');
        credentialValues.push(changes.disabled ? 1 : 0);
      }
      if (changes.passwordHash !== undefined) {
        set('password_hash', changes.passwordHash);
        credentialChanges.push('1');
      }
      if (changes.mustChangePassword !== undefined) {
        set('must_change_password', changes.mustChangePassword ? 1 : 0);
        credentialChanges.push('must_change_password IS NOT ?');
        credentialValues.push(changes.mustChangePassword ? 1 : 0);
      }
      if (sets.length === 0) return false;
      if (credentialChanges.length > 0) {
        sets.push(`credentials_version = credentials_version + (${credentialChanges.join(' OR ')})`);
        values.push(...credentialValues);
      }
      const where = expectedVersion === undefined ? 'id = ?' : 'id = ? AND credentials_version = ?';
      const whereValues = expectedVersion === undefined ? [id] : [id, expectedVersion];
      return (
        db
          .prepare(`UPDATE users SET ${sets.join(', ')}, updated_at = ? WHERE ${where}`)
          .run(...values, at, ...whereValues).changes === 1
      );
    },
    upgradePasswordHash: (id, expectedVersion, expected, upgraded) =>
      db
        .prepare(
          'UPDATE users SET password_hash = ? WHERE id = ? AND credentials_version = ? AND password_hash = ?',
        )
        .run(upgraded, id, expectedVersion, expected).changes === 1,
    succeedIfUnchanged: (id, expectedVersion) => succeedIfUnchanged.immediate(id, expectedVersion),
    beginAttempt: (id, at) => beginAttempt.immediate(id, at),
    refundAttempt: (id) =>
      void db.prepare('UPDATE users SET failed_attempts = max(0, failed_attempts - 1) WHERE id = ?').run(id),
    clearFailures: (id) =>
      void db.prepare('UPDATE users SET failed_attempts = 0, last_failed_at = NULL WHERE id = ?').run(id),
    setTotp: (id, secret, hashes, step, at, expectedVersion) =>
      setTotp.immediate(id, secret, hashes, step, at, expectedVersion),
    useTotpStep: (id, step, expectedVersion) =>
      db
        .prepare(
          `UPDATE users SET totp_last_step = ?
           WHERE id = ? AND credentials_version = ? AND (totp_last_step IS NULL OR totp_last_step < ?)`,
        )
        .run(step, id, expectedVersion, step).changes === 1
        ? 'claimed'
        : unclaimed(id, expectedVersion),
    resetTwoFactor: (id, at) => resetTwoFactor.immediate(id, at),
    unusedRecoveryCodeHashes: (id) =>
      db
        .prepare('SELECT code_hash FROM user_recovery_codes WHERE user_id = ? AND used_at IS NULL')
        .pluck()
        .all(id) as string[],
    inTransaction: (work) => db.transaction(work).immediate(),
    useRecoveryCode: (id, codeHash, at, expectedVersion) =>
      useRecoveryCode.immediate(id, codeHash, at, expectedVersion),
  };
}
