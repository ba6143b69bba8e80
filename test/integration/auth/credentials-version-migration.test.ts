/**
 * The credentials version (migration 025) on a workstation that already has staff: the file is built
 * with every other migration, its accounts written as the previous release wrote them (an administrator
 * and a nurse with authenticators and recovery codes, the nurse's password hashed at an older cost, a
 * clinician who has not set up an authenticator yet, a new hire with a temporary password, a
 * switched-off account), then the app opens it. Everyone signs in exactly as before, and from then on
 * every change of who can get in raises the version, which the database itself enforces.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_MESSAGES } from '../../../main/auth/messages';
import { hashPassword, parsePasswordHash } from '../../../main/auth/password';
import { hashRecoveryCode, newRecoveryCodes } from '../../../main/auth/recovery-codes';
import { currentTotp, newTotpSecret } from '../../../main/auth/totp';
import type { Core } from '../../../main/core';
import { openDatabase } from '../../../main/db/connection';
import { memoryKeyProvider } from '../../../main/db/keys';
import { latestVersion } from '../../../main/db/migrate';
import { migrations } from '../../../main/db/migrations';
import { DATABASE_FILE } from '../../../main/db/patient-database';
import { call, TEST_PASSWORD_HASHING } from '../../support/core';
import { authCore } from './helpers';

const CREDENTIALS_VERSION_MIGRATION = 25;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface OldAccount {
  id: string;
  username: string;
  password: string;
  totpSecret: string | null;
  recoveryCodes: string[];
}

/**
 * A data directory whose database has every migration but 025, with accounts as the previous release
 * stored them (its columns only); returns the directory, its key and the accounts.
 */
async function workstationBeforeTheUpgrade() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vd-auth-upgrade-'));
  dirs.push(dataDir);
  const key = randomBytes(32);
  const db = openDatabase({
    file: path.join(dataDir, DATABASE_FILE),
    key,
    migrations: migrations.filter((m) => m.version !== CREDENTIALS_VERSION_MIGRATION),
  });
  const insert = db.prepare(`INSERT INTO users
    (id, username, display_name, role, password_hash, disabled, totp_secret, totp_enrolled_at,
     totp_last_step, recovery_salt, must_change_password, created_at, updated_at)
    VALUES (@id, @username, @displayName, @role, @passwordHash, @disabled, @totpSecret, @enrolledAt,
     @lastStep, @salt, @mustChange, '2025-11-03T08:00:00.000Z', '2025-11-03T08:00:00.000Z')`);
  const addCode = db.prepare(
    "INSERT INTO user_recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, '2025-11-03T08:00:00.000Z')",
  );
  async function account(
    username: string,
    role: 'admin' | 'nurse' | 'clinician',
    options: { twoStep?: boolean; mustChange?: boolean; disabled?: boolean; olderCost?: boolean } = {},
  ): Promise<OldAccount> {
    const id = randomUUID();
    const password = `${username} password of long standing`;
    const salt = randomBytes(16).toString('hex');
    const totpSecret = options.twoStep ? newTotpSecret() : null;
    const recoveryCodes = options.twoStep ? newRecoveryCodes() : [];
    insert.run({
      id,
      username,
      displayName: username,
      role,
      passwordHash: await hashPassword(
        password,
        options.olderCost ? { ...TEST_PASSWORD_HASHING, N: 2 ** 10 } : TEST_PASSWORD_HASHING,
      ),
      disabled: options.disabled ? 1 : 0,
      totpSecret,
      enrolledAt: totpSecret ? '2025-11-03T08:00:00.000Z' : null,
      lastStep: totpSecret ? 58_000_000 : null,
      salt,
      mustChange: options.mustChange ? 1 : 0,
    });
    for (const code of recoveryCodes) addCode.run(id, hashRecoveryCode(code, salt));
    return { id, username, password, totpSecret, recoveryCodes };
  }
  const staff = {
    admin: await account('old.admin', 'admin', { twoStep: true }),
    nurse: await account('old.nurse', 'nurse', { twoStep: true, olderCost: true }),
    clinician: await account('old.clinician', 'clinician'),
    newHire: await account('new.hire', 'nurse', { mustChange: true }),
    gone: await account('gone.nurse', 'nurse', { twoStep: true, disabled: true }),
  };
  const columns = db.prepare("SELECT name FROM pragma_table_info('users')").pluck().all();
  expect(columns).not.toContain('credentials_version');
  db.close();
  return { dataDir, key, staff };
}

const versions = (core: Core) =>
  Object.fromEntries(
    core
      .db!.prepare('SELECT username, credentials_version FROM users ORDER BY username')
      .all()
      .map((row) => {
        const { username, credentials_version } = row as { username: string; credentials_version: number };
        return [username, credentials_version];
      }),
  );

describe('an existing database with staff upgrades to credentials versions', () => {
  it('everyone signs in as before, and each change of who can get in raises the version from 1', async () => {
    const { dataDir, key, staff } = await workstationBeforeTheUpgrade();
    const { core, invoke } = await authCore({ dataDir, dbKeyProvider: memoryKeyProvider(key) });
    const db = core.db!;
    expect(db.prepare('SELECT count(*) FROM schema_migrations WHERE version = ?').pluck().get(25)).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(migrations));
    expect(versions(core)).toEqual({
      'gone.nurse': 1,
      'new.hire': 1,
      'old.admin': 1,
      'old.clinician': 1,
      'old.nurse': 1,
    });

    const signIn = (senderId: string, who: OldAccount, proof: object = {}) =>
      invoke(senderId, 'auth.signIn', { username: who.username, password: who.password, ...proof });
    // The administrator, with her phone's code; the nurse with a recovery code (her phone is at home).
    expect(
      await signIn('admin-desk', staff.admin, {
        totp: await currentTotp(staff.admin.totpSecret!, core.clock),
      }),
    ).toMatchObject({ ok: true, value: { result: 'signed-in' } });
    expect(await signIn('ward', staff.nurse, { recoveryCode: staff.nurse.recoveryCodes[3] })).toMatchObject({
      ok: true,
      value: { result: 'signed-in' },
    });
    // Her password was rehashed at today's cost without counting as a change of it.
    const nurseHash = db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(staff.nurse.id);
    expect(parsePasswordHash(nurseHash as string)?.params.N).toBe(TEST_PASSWORD_HASHING.N);
    expect(await signIn('review-1', staff.clinician)).toMatchObject({
      ok: true,
      value: { result: 'enrolment-required' },
    });
    expect(await signIn('intake-2', staff.newHire)).toMatchObject({
      ok: true,
      value: { result: 'password-change-required' },
    });
    expect(
      await signIn('intake-3', staff.gone, { totp: await currentTotp(staff.gone.totpSecret!, core.clock) }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN', message: AUTH_MESSAGES.disabled } });
    expect(versions(core)).toMatchObject({ 'old.nurse': 1, 'old.admin': 1 });

    // From here on: the new hire's own password, the administrator switching the old account back on
    // and renaming the nurse.
    expect(
      await invoke('intake-2', 'auth.changePassword', {
        currentPassword: staff.newHire.password,
        newPassword: 'the new hire chose this',
      }),
    ).toMatchObject({ ok: true });
    expect(await invoke('admin-desk', 'users.update', { id: staff.gone.id, disabled: false })).toMatchObject({
      ok: true,
    });
    expect(
      await invoke('admin-desk', 'users.update', {
        id: staff.nurse.id,
        displayName: 'Nurse of Long Standing',
      }),
    ).toMatchObject({ ok: true });
    expect(versions(core)).toEqual({
      'gone.nurse': 2,
      'new.hire': 2,
      'old.admin': 1,
      'old.clinician': 1,
      'old.nurse': 1,
    });
    // The nurse is still signed in at the ward under her new name.
    expect(await call(core, 'ward', 'auth.status', {})).toMatchObject({
      state: 'signed-in',
      user: { displayName: 'Nurse of Long Standing' },
    });
    expect(await call(core, 'admin-desk', 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it('the database refuses a change of who can get in that does not raise the version, and a version going down', async () => {
    const { dataDir, key, staff } = await workstationBeforeTheUpgrade();
    const { core } = await authCore({ dataDir, dbKeyProvider: memoryKeyProvider(key) });
    const db = core.db!;
    const attempt = (sql: string) => () => db.prepare(sql).run(staff.nurse.id);

    expect(attempt('UPDATE users SET disabled = 1 WHERE id = ?')).toThrow(/raise the credentials version/);
    expect(attempt('UPDATE users SET totp_secret = NULL WHERE id = ?')).toThrow(
      /raise the credentials version/,
    );
    expect(attempt('UPDATE users SET must_change_password = 1 WHERE id = ?')).toThrow(
      /raise the credentials version/,
    );
    expect(attempt('UPDATE users SET credentials_version = 0 WHERE id = ?')).toThrow();
    expect(attempt('UPDATE users SET credentials_version = 3 WHERE id = ?')).not.toThrow();
    expect(attempt('UPDATE users SET credentials_version = 2 WHERE id = ?')).toThrow(/only goes up/);
    // What is not a change of who can get in needs no new version.
    expect(
      attempt("UPDATE users SET display_name = 'Renamed', role = 'clinician' WHERE id = ?"),
    ).not.toThrow();
    expect(
      attempt('UPDATE users SET disabled = 1, credentials_version = credentials_version + 1 WHERE id = ?'),
    ).not.toThrow();
    expect(db.prepare('SELECT credentials_version FROM users WHERE id = ?').pluck().get(staff.nurse.id)).toBe(
      4,
    );
  });
});
