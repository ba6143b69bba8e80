/**
 * Passwords: at least 12 characters, none of the most common ones (wherever a password is set), and
 * hashed with scrypt at N=2^17, with an account's older hash rewritten at its next good sign-in (that
 * test runs at the production hashing cost).
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { call, createTestCore, TEST_PASSWORD_HASHING } from '../../support/core';
import { firstAdmin, signInAs, TEST_PASSWORD } from '../../support/session';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function core(overrides: Parameters<typeof createTestCore>[0] = {}) {
  const made = await createTestCore(overrides);
  cleanup.push(async () => {
    await made.core.close();
    if (!overrides.dataDir) rmSync(made.dataDir, { recursive: true, force: true });
  });
  return made;
}

const invoke = (c: Core, senderId: string, channel: string, request: unknown = {}) =>
  c.invoke(channel, request, { senderId });

function hashOf(c: Core, username: string): string {
  return c.db!.prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get(username) as string;
}

describe('password rules, wherever a password is set', () => {
  it('refuses an 11-character password and a common one at first-run setup, and creates nobody', async () => {
    const { core: c } = await core();
    for (const password of ['elevenchars', 'password1234', 'qwertyuiop123']) {
      const answer = await invoke(c, 'w', 'auth.setupFirstAdmin', {
        username: 'ada',
        displayName: 'Ada',
        password,
      });
      expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      if (!answer.ok) expect(answer.error.issues?.[0]?.path).toBe('password');
    }
    expect(await invoke(c, 'w', 'auth.status')).toMatchObject({ value: { state: 'setup-required' } });
  });

  it('refuses a common password an administrator gives a new account or a reset, and keeps the old one', async () => {
    const { core: c } = await core();
    const admin = await firstAdmin(c);
    const created = await invoke(c, admin.senderId, 'users.create', {
      username: 'new.nurse',
      displayName: 'New Nurse',
      role: 'nurse',
      password: 'letmein12345',
    });
    expect(created).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(
      (await call<{ username: string }[]>(c, admin.senderId, 'users.list', {})).map((u) => u.username),
    ).toEqual([admin.username]);

    const nurse = await signInAs(c, 'nurse', 'desk');
    const before = hashOf(c, nurse.username);
    const reset = await invoke(c, admin.senderId, 'users.update', {
      id: nurse.userId,
      password: 'Sunshine2024!',
    });
    expect(reset).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', issues: [{ path: 'password' }] },
    });
    expect(hashOf(c, nurse.username)).toBe(before);
    // Nothing changed, so nobody was signed out either.
    expect(await invoke(c, 'desk', 'auth.status')).toMatchObject({ value: { state: 'signed-in' } });
  });

  it('refuses a common new password when a user changes their own, and the current one still works', async () => {
    const { core: c } = await core();
    const nurse = await signInAs(c, 'nurse', 'desk');
    const answer = await invoke(c, 'desk', 'auth.changePassword', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'monkeymonkey',
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', issues: [{ path: 'newPassword' }] },
    });
    await invoke(c, 'desk', 'auth.signOut');
    const again = await invoke(c, 'desk', 'auth.signIn', {
      username: nurse.username,
      password: TEST_PASSWORD,
    });
    expect(again).toMatchObject({ ok: true, value: { result: 'two-factor-required' } });
  });
});

describe('hashing cost', () => {
  it('hashes at N=2^17 and rewrites an older N=2^15 hash at the next good sign-in, not at a wrong one', async () => {
    // The workstation as an earlier version left it: the administrator's hash made at N=2^15.
    const earlier = await createTestCore({ passwordHashing: { ...TEST_PASSWORD_HASHING, N: 2 ** 15 } });
    const account = await firstAdmin(earlier.core);
    await earlier.core.close();

    const { core: c } = await core({
      dataDir: earlier.dataDir,
      dbKeyProvider: earlier.dbKeyProvider,
      passwordHashing: undefined,
    });
    cleanup.unshift(async () => rmSync(earlier.dataDir, { recursive: true, force: true }));
    expect(hashOf(c, account.username).startsWith(`scrypt$${2 ** 15}$8$1$`)).toBe(true);

    const wrong = await invoke(c, 'w', 'auth.signIn', {
      username: account.username,
      password: 'not the password at all',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(hashOf(c, account.username).startsWith(`scrypt$${2 ** 15}$`)).toBe(true);

    const right = await invoke(c, 'w', 'auth.signIn', {
      username: account.username,
      password: account.password,
    });
    expect(right).toMatchObject({ ok: true, value: { result: 'two-factor-required' } });
    expect(hashOf(c, account.username).startsWith(`scrypt$${2 ** 17}$8$1$`)).toBe(true);

    // The rewritten hash still opens the account.
    const later = await invoke(c, 'w2', 'auth.signIn', {
      username: account.username,
      password: account.password,
    });
    expect(later).toMatchObject({ ok: true, value: { result: 'two-factor-required' } });
  });
});
