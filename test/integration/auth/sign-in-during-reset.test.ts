/**
 * A sign-in already under way when an administrator resets that account (its password, its two-step
 * sign-in, or switches it off) must not finish with what the reset took away: the old password, the
 * old authenticator's code, or an account that is now off. The attack is staged exactly: the sign-in's
 * password check (or its code check, or its hash upgrade) is held at the moment its answer is ready,
 * the administrator's reset is saved through the real channel meanwhile, and then the sign-in goes on.
 *
 * The hold (./pause-points) is the only thing changed in this file: the real scrypt and the real TOTP
 * check run and their real answers are returned; only when they are returned is decided by the test,
 * which a slow hash on a busy workstation decides in real life and which nothing else here can make
 * certain.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../main/core';
import { AUTH_MESSAGES } from '../../../main/auth/messages';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../../main/auth/password';
import { currentTotp } from '../../../main/auth/totp';
import type { IpcResult } from '../../../shared/ipc';
import { call, TEST_PASSWORD_HASHING } from '../../support/core';
import { firstAdmin, signInAs, type TestAccount } from '../../support/session';
import { authCore, nurseSignedInAtWard } from './helpers';
import { holds, type PausePoint as Step } from './pause-points';

vi.mock('../../../main/auth/password', async (importOriginal) =>
  (await import('./pause-points')).pausingPassword(await importOriginal()),
);
vi.mock('../../../main/auth/totp', async (importOriginal) =>
  (await import('./pause-points')).pausingTotp(await importOriginal()),
);

const RESET_PASSWORD = 'a temporary one from the admin';
const refused = {
  ok: false,
  error: { code: 'NOT_SIGNED_IN', message: AUTH_MESSAGES.wrongCredentials },
};

function accountRow(core: Core, userId: string) {
  return core
    .db!.prepare(
      `SELECT password_hash, totp_secret, totp_last_step, disabled, must_change_password, updated_at
       FROM users WHERE id = ?`,
    )
    .get(userId) as { password_hash: string; totp_secret: string | null; disabled: number };
}

/** The trail's sign-in records of a user, oldest first. */
function signInRecords(core: Core, userId: string) {
  return core
    .db!.prepare(
      "SELECT outcome, detail FROM audit_log WHERE actor_user_id = ? AND action = 'auth.signIn' ORDER BY seq",
    )
    .all(userId) as { outcome: string; detail: string | null }[];
}

const stateAt = async (core: Core, senderId: string) =>
  (await call<{ state: string }>(core, senderId, 'auth.status', {})).state;

/** A signed-out nurse with an authenticator, and the code her phone shows half a minute later. */
async function nurseAtTheDoor(core: Core, clock: { advance(ms: number): void }) {
  const nurse = await signInAs(core, 'nurse', 'nurse-desk');
  await call(core, 'nurse-desk', 'auth.signOut', {});
  clock.advance(30_000);
  return { nurse, code: await currentTotp(nurse.totpSecret!, core.clock) };
}

/** Her password as stored at a lower cost than today's: her next good sign-in upgrades it. */
async function storeAtLowerCost(core: Core, nurse: TestAccount): Promise<string> {
  const weaker = await hashPassword(nurse.password, { ...TEST_PASSWORD_HASHING, N: 2 ** 10 });
  core.db!.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(weaker, nurse.userId);
  return weaker;
}

/** The code her phone shows half a minute on (each code signs in once). */
async function nextCode(core: Core, clock: { advance(ms: number): void }, nurse: TestAccount) {
  clock.advance(30_000);
  return currentTotp(nurse.totpSecret!, core.clock);
}

/**
 * Signs in at the ward with the nurse's password and `code` while `step` is held and `meanwhile` runs;
 * returns the sign-in's answer.
 */
async function signInAtWardWhile(
  core: Core,
  nurse: TestAccount,
  code: string,
  step: Step,
  meanwhile: () => Promise<void>,
): Promise<IpcResult<unknown>> {
  const hold = holds.arm(step);
  const signIn = core.invoke(
    'auth.signIn',
    { username: nurse.username, password: nurse.password, totp: code },
    { senderId: 'ward' },
  );
  await hold.reached;
  await meanwhile();
  hold.release();
  return signIn;
}

/**
 * Signs in at the ward with the nurse's old password and code while `step` is held, and the reset is
 * saved meanwhile; returns the sign-in's answer and her account as the reset left it.
 */
async function signInAcrossReset(
  core: Core,
  nurse: TestAccount,
  code: string,
  step: Step,
  reset: () => Promise<IpcResult<unknown>>,
): Promise<{ answer: IpcResult<unknown>; afterReset: ReturnType<typeof accountRow> }> {
  let afterReset: ReturnType<typeof accountRow> | undefined;
  const answer = await signInAtWardWhile(core, nurse, code, step, async () => {
    // The sign-in has read the account and proved the old password (and code) against it: now the reset.
    expect(await reset()).toMatchObject({ ok: true });
    afterReset = accountRow(core, nurse.userId);
  });
  return { answer, afterReset: afterReset! };
}

describe('a sign-in under way when an administrator resets the account', () => {
  it.each([
    ['resets her password', { password: RESET_PASSWORD }],
    ['resets her two-step sign-in', { resetTwoFactor: true }],
    ['switches her account off', { disabled: true }],
  ])(
    'the administrator %s during the password check: refused as a wrong password, and no session',
    async (_what, changes) => {
      const { core, clock, invoke } = await authCore();
      const admin = await firstAdmin(core);
      const { nurse, code } = await nurseAtTheDoor(core, clock);
      const reset = () => invoke(admin.senderId, 'users.update', { id: nurse.userId, ...changes });

      const { answer, afterReset } = await signInAcrossReset(core, nurse, code, 'password-check', reset);

      expect(answer).toMatchObject(refused);
      expect(await stateAt(core, 'ward')).toBe('signed-out');
      expect(signInRecords(core, nurse.userId).at(-1)).toEqual({
        outcome: 'failure',
        detail: 'account-changed',
      });
      // The account is as the reset left it: nothing of the refused sign-in was written over it (not
      // even the step of the code it brought, which stays hers to use).
      expect(accountRow(core, nurse.userId)).toEqual(afterReset);
      if ('password' in changes) {
        expect(await verifyPassword(RESET_PASSWORD, afterReset.password_hash, TEST_PASSWORD_HASHING)).toEqual(
          {
            valid: true,
            needsRehash: false,
          },
        );
        // The old password no longer opens it; the reset's does, and asks for her own password first.
        expect(
          await invoke('ward', 'auth.signIn', { username: nurse.username, password: nurse.password }),
        ).toMatchObject(refused);
        expect(
          await invoke('ward', 'auth.signIn', {
            username: nurse.username,
            password: RESET_PASSWORD,
            totp: await nextCode(core, clock, nurse),
          }),
        ).toMatchObject({ ok: true, value: { result: 'password-change-required' } });
      } else if ('resetTwoFactor' in changes) {
        // Her password still opens the account, to set up a new authenticator: the old code is no pass.
        expect(afterReset.totp_secret).toBeNull();
        expect(
          await invoke('ward', 'auth.signIn', {
            username: nurse.username,
            password: nurse.password,
            totp: code,
          }),
        ).toMatchObject({ ok: true, value: { result: 'enrolment-required' } });
      } else {
        expect(afterReset.disabled).toBe(1);
        expect(
          await invoke('ward', 'auth.signIn', {
            username: nurse.username,
            password: nurse.password,
            totp: code,
          }),
        ).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN', message: AUTH_MESSAGES.disabled } });
        expect(await stateAt(core, 'ward')).toBe('signed-out');
      }
      expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
    },
  );

  it("a password reset during the old password's hash upgrade keeps the reset's password", async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const { nurse, code } = await nurseAtTheDoor(core, clock);
    // Her password was stored at a lower cost than today's, so her next sign-in upgrades it.
    const weaker = await storeAtLowerCost(core, nurse);

    const { answer } = await signInAcrossReset(core, nurse, code, 'hash-upgrade', () =>
      invoke(admin.senderId, 'users.update', { id: nurse.userId, password: RESET_PASSWORD }),
    );

    expect(answer).toMatchObject(refused);
    expect(await stateAt(core, 'ward')).toBe('signed-out');
    const stored = accountRow(core, nurse.userId).password_hash;
    expect(stored).not.toBe(weaker);
    expect((await verifyPassword(RESET_PASSWORD, stored, TEST_PASSWORD_HASHING)).valid).toBe(true);
    expect((await verifyPassword(nurse.password, stored, TEST_PASSWORD_HASHING)).valid).toBe(false);
    expect(
      await invoke('ward', 'auth.signIn', { username: nurse.username, password: nurse.password }),
    ).toMatchObject(refused);
    expect(
      await invoke('ward', 'auth.signIn', {
        username: nurse.username,
        password: RESET_PASSWORD,
        totp: await nextCode(core, clock, nurse),
      }),
    ).toMatchObject({ ok: true, value: { result: 'password-change-required' } });
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it("a two-step reset during the old authenticator's code check: refused, and no session", async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const { nurse, code } = await nurseAtTheDoor(core, clock);

    const { answer } = await signInAcrossReset(core, nurse, code, 'code-check', () =>
      invoke(admin.senderId, 'users.update', { id: nurse.userId, resetTwoFactor: true }),
    );

    expect(answer).toMatchObject(refused);
    expect(await stateAt(core, 'ward')).toBe('signed-out');
    expect(accountRow(core, nurse.userId).totp_secret).toBeNull();
    expect(signInRecords(core, nurse.userId).filter((r) => r.outcome === 'success')).toHaveLength(1);
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });
});

describe('a sign-in under way when nothing about the account changes', () => {
  it('two windows sign the same nurse in at once, and her weaker stored hash is upgraded once', async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const { nurse, code } = await nurseAtTheDoor(core, clock);
    await storeAtLowerCost(core, nurse);
    // Half a minute on: the ward gets the code her phone shows now, the desk the one it showed before
    // (still accepted), so each window has a code of its own.
    clock.advance(30_000);
    const wardCode = await currentTotp(nurse.totpSecret!, clock);

    // The ward's sign-in is held in its password check while the desk signs her in and upgrades the hash.
    let upgraded = '';
    const ward = await signInAtWardWhile(core, nurse, wardCode, 'password-check', async () => {
      expect(
        await invoke('nurse-desk', 'auth.signIn', {
          username: nurse.username,
          password: nurse.password,
          totp: code,
        }),
      ).toMatchObject({ ok: true, value: { result: 'signed-in' } });
      upgraded = accountRow(core, nurse.userId).password_hash;
      expect(parsePasswordHash(upgraded)?.params.N).toBe(TEST_PASSWORD_HASHING.N);
    });

    expect(ward).toMatchObject({ ok: true, value: { result: 'signed-in' } });
    expect([await stateAt(core, 'nurse-desk'), await stateAt(core, 'ward')]).toEqual([
      'signed-in',
      'signed-in',
    ]);
    // One upgrade, at today's cost, of her own password; the ward's sign-in did not write another.
    expect(accountRow(core, nurse.userId).password_hash).toBe(upgraded);
    expect(await verifyPassword(nurse.password, upgraded, TEST_PASSWORD_HASHING)).toEqual({
      valid: true,
      needsRehash: false,
    });
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it('a sign-in whose hash is due for upgrade, with nothing changed meanwhile, upgrades it and signs in', async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const { nurse, code } = await nurseAtTheDoor(core, clock);
    const weaker = await storeAtLowerCost(core, nurse);
    // Another nurse signs in at her own desk while this sign-in waits for its hash upgrade.
    const other = await signInAs(core, 'nurse', 'other-desk');
    await call(core, 'other-desk', 'auth.signOut', {});
    clock.advance(30_000);

    const ward = await signInAtWardWhile(core, nurse, code, 'hash-upgrade', async () => {
      expect(
        await invoke('other-desk', 'auth.signIn', {
          username: other.username,
          password: other.password,
          totp: await currentTotp(other.totpSecret!, clock),
        }),
      ).toMatchObject({ ok: true, value: { result: 'signed-in' } });
    });

    expect(ward).toMatchObject({ ok: true, value: { result: 'signed-in' } });
    const stored = accountRow(core, nurse.userId).password_hash;
    expect(stored).not.toBe(weaker);
    expect(await verifyPassword(nurse.password, stored, TEST_PASSWORD_HASHING)).toEqual({
      valid: true,
      needsRehash: false,
    });
    expect(await stateAt(core, 'other-desk')).toBe('signed-in');
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });
});

describe('unlocking a locked screen when an administrator resets the account meanwhile', () => {
  it.each([
    ['resets her password', { password: RESET_PASSWORD }],
    ['resets her two-step sign-in', { resetTwoFactor: true }],
    ['switches her account off', { disabled: true }],
  ])(
    'the administrator %s during the password check: the screen stays signed out',
    async (_what, changes) => {
      const { core, invoke } = await authCore();
      const admin = await firstAdmin(core);
      const nurse = await signInAs(core, 'nurse', 'ward');
      await call(core, 'ward', 'auth.lock', {});

      const hold = holds.arm('password-check');
      const unlock = invoke('ward', 'auth.unlock', { password: nurse.password });
      await hold.reached;
      expect(await invoke(admin.senderId, 'users.update', { id: nurse.userId, ...changes })).toMatchObject({
        ok: true,
      });
      hold.release();

      expect(await unlock).toMatchObject({
        ok: false,
        error: { code: 'NOT_SIGNED_IN', message: AUTH_MESSAGES.notSignedIn },
      });
      expect(await stateAt(core, 'ward')).toBe('signed-out');
      const unlocks = core
        .db!.prepare(
          "SELECT outcome, detail FROM audit_log WHERE actor_user_id = ? AND action = 'auth.unlock' ORDER BY seq",
        )
        .all(nurse.userId);
      expect(unlocks).toEqual([{ outcome: 'denied', detail: 'signed-out' }]);
      expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
    },
  );
});

describe('a change of her own under way when an administrator resets the account', () => {
  it('a new password she is choosing does not replace the password the administrator reset', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await signInAs(core, 'nurse', 'ward');

    const hold = holds.arm('password-check');
    const change = invoke('ward', 'auth.changePassword', {
      currentPassword: nurse.password,
      newPassword: 'a password of her own choosing',
    });
    await hold.reached;
    expect(
      await invoke(admin.senderId, 'users.update', { id: nurse.userId, password: RESET_PASSWORD }),
    ).toMatchObject({ ok: true });
    const afterReset = accountRow(core, nurse.userId);
    hold.release();

    expect(await change).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN', message: AUTH_MESSAGES.notSignedIn },
    });
    expect(accountRow(core, nurse.userId)).toEqual(afterReset);
    const stored = afterReset.password_hash;
    expect((await verifyPassword(RESET_PASSWORD, stored, TEST_PASSWORD_HASHING)).valid).toBe(true);
    expect(
      (await verifyPassword('a password of her own choosing', stored, TEST_PASSWORD_HASHING)).valid,
    ).toBe(false);
    expect(await stateAt(core, 'ward')).toBe('signed-out');
    const changes = core
      .db!.prepare(
        "SELECT count(*) FROM audit_log WHERE action = 'auth.changePassword' AND actor_user_id = ?",
      )
      .pluck()
      .get(nurse.userId);
    // Only her first change (from the temporary password she was given) is recorded.
    expect(changes).toBe(1);
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it('an authenticator she is confirming is not bound to the account the administrator reset', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const created = { id: (await nurseSignedInAtWard(core, admin.senderId, 'new.nurse')).userId };
    const enrolment = await call<{ secret: string }>(core, 'ward', 'auth.enrolTotp', {});

    const hold = holds.arm('code-check');
    const confirm = invoke('ward', 'auth.confirmTotp', {
      code: await currentTotp(enrolment.secret, core.clock),
    });
    await hold.reached;
    expect(
      await invoke(admin.senderId, 'users.update', { id: created.id, password: RESET_PASSWORD }),
    ).toMatchObject({ ok: true });
    hold.release();

    expect(await confirm).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN', message: AUTH_MESSAGES.notSignedIn },
    });
    expect(accountRow(core, created.id).totp_secret).toBeNull();
    expect(await stateAt(core, 'ward')).toBe('signed-out');
    // The reset's password signs in to set up an authenticator of her own.
    expect(
      await invoke('ward', 'auth.signIn', { username: 'new.nurse', password: RESET_PASSWORD }),
    ).toMatchObject({ ok: true, value: { result: 'password-change-required' } });
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });
});
