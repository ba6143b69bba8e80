/**
 * What an operation under way (a sign-in, an unlock, a password change, an authenticator confirmation)
 * does when an administrator changes the account meanwhile is decided by the account's credentials
 * version, compared and set in SQL when the operation's result is saved:
 * - a new name or role is not a change of who can get in with what: the operation goes on;
 * - switching the account off and on again is, even within the same millisecond (the clock is frozen:
 *   a timestamp compared before and after could not tell it from no change at all);
 * - a password reset is: the old password does not get in.
 *
 * The attack is staged exactly with the pause points of ./pause-points: the real scrypt and TOTP checks
 * run, and the operation is held at the moment its answer is ready while the administrator's change is
 * saved through the real channel. A few tests also raise the version by hand during the hold: that stands
 * for any change of the credentials that does not sign anyone out, and shows the save itself refuses it,
 * not only the session table.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../main/core';
import { AUTH_MESSAGES } from '../../../main/auth/messages';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../../main/auth/password';
import { currentTotp } from '../../../main/auth/totp';
import type { IpcResult } from '../../../shared/ipc';
import { call, TEST_PASSWORD_HASHING } from '../../support/core';
import { enrol, firstAdmin, signInAs, TEMPORARY_PASSWORD, type TestAccount } from '../../support/session';
import { authCore, nurseSignedInAtWard } from './helpers';
import { holds, type PausePoint } from './pause-points';

vi.mock('../../../main/auth/password', async (importOriginal) =>
  (await import('./pause-points')).pausingPassword(await importOriginal()),
);
vi.mock('../../../main/auth/totp', async (importOriginal) =>
  (await import('./pause-points')).pausingTotp(await importOriginal()),
);

type Invoke = (senderId: string, channel: string, request?: unknown) => Promise<IpcResult<unknown>>;

const RESET_PASSWORD = 'a temporary one from the admin';
const HER_NEW_PASSWORD = 'a password of her own choosing';
const wrongCredentials = {
  ok: false,
  error: { code: 'NOT_SIGNED_IN', message: AUTH_MESSAGES.wrongCredentials },
};
const notSignedIn = { ok: false, error: { code: 'NOT_SIGNED_IN', message: AUTH_MESSAGES.notSignedIn } };
const changedMeanwhile = { ok: false, error: { code: 'CONFLICT', message: AUTH_MESSAGES.changedMeanwhile } };

function accountRow(core: Core, userId: string) {
  return core
    .db!.prepare(
      `SELECT display_name, role, password_hash, disabled, totp_secret, totp_last_step, credentials_version
       FROM users WHERE id = ?`,
    )
    .get(userId) as {
    display_name: string;
    role: string;
    password_hash: string;
    disabled: number;
    totp_secret: string | null;
    totp_last_step: number | null;
    credentials_version: number;
  };
}

/** The trail's records of one action by a user, oldest first. */
function records(core: Core, userId: string, action: string) {
  return core
    .db!.prepare('SELECT outcome, detail FROM audit_log WHERE actor_user_id = ? AND action = ? ORDER BY seq')
    .all(userId, action) as { outcome: string; detail: string | null }[];
}

const statusAt = (core: Core, senderId: string) =>
  call<{ state: string; user: { displayName: string; role: string } | null }>(
    core,
    senderId,
    'auth.status',
    {},
  );

/** The administrator's change, through the real channel; it must be saved. */
async function adminChanges(invoke: Invoke, adminSender: string, id: string, changes: object) {
  expect(await invoke(adminSender, 'users.update', { id, ...changes })).toMatchObject({ ok: true });
}

/** Switched off and straight back on, on the same frozen clock: the same millisecond. */
async function offAndOn(invoke: Invoke, adminSender: string, id: string) {
  await adminChanges(invoke, adminSender, id, { disabled: true });
  await adminChanges(invoke, adminSender, id, { disabled: false });
}

/** Runs `operation` with `step` held, runs `meanwhile` while it is held, and returns its answer. */
async function whileHeld(
  step: PausePoint,
  operation: () => Promise<IpcResult<unknown>>,
  meanwhile: () => Promise<void> | void,
): Promise<IpcResult<unknown>> {
  const hold = holds.arm(step);
  const answer = operation();
  await hold.reached;
  await meanwhile();
  hold.release();
  return answer;
}

/**
 * A nurse created, given her own password and an authenticator, and signed out again, all without the
 * clock moving; her recovery codes sign her in without a later code.
 */
async function nurseWithRecoveryCodes(core: Core) {
  const admin = await firstAdmin(core);
  const nurse = await nurseSignedInAtWard(core, admin.senderId, 'ward.nurse');
  const { recoveryCodes } = await enrol(core, 'ward');
  await call(core, 'ward', 'auth.signOut', {});
  return { admin, nurse, recoveryCode: recoveryCodes[0]! };
}

/** A signed-out nurse with an authenticator, and the code her phone shows half a minute later. */
async function nurseAtTheDoor(core: Core, clock: { advance(ms: number): void }) {
  const nurse = await signInAs(core, 'nurse', 'nurse-desk');
  await call(core, 'nurse-desk', 'auth.signOut', {});
  clock.advance(30_000);
  return { nurse, code: await currentTotp(nurse.totpSecret!, core.clock) };
}

const signIn = (invoke: Invoke, nurse: Pick<TestAccount, 'username' | 'password'>, proof: object) => () =>
  invoke('ward', 'auth.signIn', { username: nurse.username, password: nurse.password, ...proof });

describe('a sign-in paused mid-check while an administrator changes the account', () => {
  it.each<PausePoint>(['password-check', 'code-check'])(
    'a new name and role during the %s: she is signed in, under the new name and role',
    async (step) => {
      const { core, clock, invoke } = await authCore();
      const admin = await firstAdmin(core);
      const { nurse, code } = await nurseAtTheDoor(core, clock);
      const before = accountRow(core, nurse.userId);

      const answer = await whileHeld(step, signIn(invoke, nurse, { totp: code }), () =>
        // As a form that sends every field saves it: her switch stays on, as it was.
        adminChanges(invoke, admin.senderId, nurse.userId, {
          displayName: 'Nurse Renamed',
          role: 'clinician',
          disabled: false,
        }),
      );

      expect(answer).toMatchObject({ ok: true, value: { result: 'signed-in' } });
      expect(await statusAt(core, 'ward')).toMatchObject({
        state: 'signed-in',
        user: { displayName: 'Nurse Renamed', role: 'clinician' },
      });
      // A rename is not a change of who can get in with what.
      expect(accountRow(core, nurse.userId).credentials_version).toBe(before.credentials_version);
      expect(records(core, nurse.userId, 'auth.signIn').at(-1)).toEqual({
        outcome: 'success',
        detail: 'two-factor',
      });
    },
  );

  it('switched off and on again within the same millisecond during the password check: refused, no session, and her recovery code stays hers', async () => {
    // The clock never moves in this test: every change of the account carries the same time.
    const { core, invoke } = await authCore();
    const { admin, nurse, recoveryCode } = await nurseWithRecoveryCodes(core);
    const before = accountRow(core, nurse.userId);

    const answer = await whileHeld('password-check', signIn(invoke, nurse, { recoveryCode }), () =>
      offAndOn(invoke, admin.senderId, nurse.userId),
    );

    expect(answer).toMatchObject(wrongCredentials);
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'signed-out', user: null });
    expect(records(core, nurse.userId, 'auth.signIn').at(-1)).toEqual({
      outcome: 'failure',
      detail: 'account-changed',
    });
    // Off and on: two changes of who can get in, though the account looks as it did.
    const after = accountRow(core, nurse.userId);
    expect(after).toEqual({ ...before, credentials_version: before.credentials_version + 2 });
    // Signing in again now, with the same password and the same recovery code, works: nothing was used up.
    expect(await signIn(invoke, nurse, { recoveryCode })()).toMatchObject({
      ok: true,
      value: { result: 'signed-in' },
    });
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it('switched off and on again within the same millisecond during the code check: refused, and the code stays unused', async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const { nurse, code } = await nurseAtTheDoor(core, clock);
    const before = accountRow(core, nurse.userId);

    const answer = await whileHeld('code-check', signIn(invoke, nurse, { totp: code }), () =>
      offAndOn(invoke, admin.senderId, nurse.userId),
    );

    expect(answer).toMatchObject(wrongCredentials);
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'signed-out' });
    expect(accountRow(core, nurse.userId).totp_last_step).toBe(before.totp_last_step);
    // The code her phone still shows signs her in: the refused sign-in did not claim it.
    expect(await signIn(invoke, nurse, { totp: code })()).toMatchObject({
      ok: true,
      value: { result: 'signed-in' },
    });
  });

  it('switched off and on again during the hash upgrade of a password-only sign-in: refused at the save', async () => {
    // A new account has no authenticator yet: after its password (and the upgrade of its hash) comes
    // the save itself, with nothing else in between to notice the change.
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const created = await call<{ id: string }>(core, admin.senderId, 'users.create', {
      username: 'new.nurse',
      displayName: 'New Nurse',
      role: 'nurse',
      password: TEMPORARY_PASSWORD,
    });
    const weaker = await hashPassword(TEMPORARY_PASSWORD, { ...TEST_PASSWORD_HASHING, N: 2 ** 10 });
    core.db!.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(weaker, created.id);
    const newNurse = { username: 'new.nurse', password: TEMPORARY_PASSWORD };

    const answer = await whileHeld('hash-upgrade', signIn(invoke, newNurse, {}), () =>
      offAndOn(invoke, admin.senderId, created.id),
    );

    expect(answer).toMatchObject(wrongCredentials);
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'signed-out' });
    // The upgrade was not written over the changed account either.
    expect(accountRow(core, created.id).password_hash).toBe(weaker);
    expect(await signIn(invoke, newNurse, {})()).toMatchObject({
      ok: true,
      value: { result: 'password-change-required' },
    });
  });

  it('switched off and on again during the hash upgrade of a sign-in with a recovery code: refused, and the code stays hers', async () => {
    // The upgrade comes after the early look at the account: the recovery code's claim is what meets
    // the change first, and it claims nothing for a sign-in that will be refused.
    const { core, invoke } = await authCore();
    const { admin, nurse, recoveryCode } = await nurseWithRecoveryCodes(core);
    const weaker = await hashPassword(nurse.password, { ...TEST_PASSWORD_HASHING, N: 2 ** 10 });
    core.db!.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(weaker, nurse.userId);
    const unusedCodes = () =>
      core
        .db!.prepare('SELECT count(*) FROM user_recovery_codes WHERE user_id = ? AND used_at IS NULL')
        .pluck()
        .get(nurse.userId);
    const unusedBefore = unusedCodes();

    const answer = await whileHeld('hash-upgrade', signIn(invoke, nurse, { recoveryCode }), () =>
      offAndOn(invoke, admin.senderId, nurse.userId),
    );

    expect(answer).toMatchObject(wrongCredentials);
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'signed-out' });
    expect(unusedCodes()).toBe(unusedBefore);
    expect(await signIn(invoke, nurse, { recoveryCode })()).toMatchObject({
      ok: true,
      value: { result: 'signed-in' },
    });
    expect(unusedCodes()).toBe((unusedBefore as number) - 1);
  });

  it('a password reset during the password check: refused, and the old password stays refused', async () => {
    const { core, invoke } = await authCore();
    const { admin, nurse, recoveryCode } = await nurseWithRecoveryCodes(core);

    const answer = await whileHeld('password-check', signIn(invoke, nurse, { recoveryCode }), () =>
      adminChanges(invoke, admin.senderId, nurse.userId, { password: RESET_PASSWORD }),
    );

    expect(answer).toMatchObject(wrongCredentials);
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'signed-out' });
    expect(await signIn(invoke, nurse, { recoveryCode })()).toMatchObject(wrongCredentials);
    expect(await signIn(invoke, { ...nurse, password: RESET_PASSWORD }, { recoveryCode })()).toMatchObject({
      ok: true,
      value: { result: 'password-change-required' },
    });
  });
});

describe('unlocking a locked screen paused mid-check while an administrator changes the account', () => {
  async function lockedNurse() {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await signInAs(core, 'nurse', 'ward');
    await call(core, 'ward', 'auth.lock', {});
    const unlock =
      (password = nurse.password) =>
      () =>
        invoke('ward', 'auth.unlock', { password });
    return { core, invoke, admin, nurse, unlock };
  }

  it('a new name: unlocked, under the new name', async () => {
    const { core, invoke, admin, nurse, unlock } = await lockedNurse();

    const answer = await whileHeld('password-check', unlock(), () =>
      adminChanges(invoke, admin.senderId, nurse.userId, { displayName: 'Nurse Renamed' }),
    );

    expect(answer).toMatchObject({ ok: true, value: { result: 'signed-in' } });
    expect(await statusAt(core, 'ward')).toMatchObject({
      state: 'signed-in',
      user: { displayName: 'Nurse Renamed' },
    });
    expect(records(core, nurse.userId, 'auth.unlock')).toEqual([{ outcome: 'success', detail: 'password' }]);
  });

  it.each([
    ['switched off and on again within the same millisecond', 'off-and-on'],
    ['a password reset', 'reset'],
  ])('%s: refused, and the screen is signed out', async (_what, change) => {
    const { core, invoke, admin, nurse, unlock } = await lockedNurse();

    const answer = await whileHeld('password-check', unlock(), () =>
      change === 'reset'
        ? adminChanges(invoke, admin.senderId, nurse.userId, { password: RESET_PASSWORD })
        : offAndOn(invoke, admin.senderId, nurse.userId),
    );

    expect(answer).toMatchObject(notSignedIn);
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'signed-out', user: null });
    expect(records(core, nurse.userId, 'auth.unlock')).toEqual([{ outcome: 'denied', detail: 'signed-out' }]);
    if (change === 'reset')
      expect(
        await invoke('ward', 'auth.signIn', { username: nurse.username, password: nurse.password }),
      ).toMatchObject(wrongCredentials);
  });

  it('a change of her credentials that signs nobody out: the save refuses it, and the screen stays locked', async () => {
    const { core, nurse, unlock } = await lockedNurse();

    const answer = await whileHeld('password-check', unlock(), () => {
      core
        .db!.prepare('UPDATE users SET credentials_version = credentials_version + 1 WHERE id = ?')
        .run(nurse.userId);
    });

    expect(answer).toMatchObject(wrongCredentials);
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'locked' });
    expect(records(core, nurse.userId, 'auth.unlock')).toEqual([
      { outcome: 'failure', detail: 'account-changed' },
    ]);
    // Her password as it is now unlocks it.
    expect(await unlock()()).toMatchObject({ ok: true, value: { result: 'signed-in' } });
  });
});

describe('changing her own password paused mid-check while an administrator changes the account', () => {
  async function nurseChanging() {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await signInAs(core, 'nurse', 'ward');
    const change = () =>
      invoke('ward', 'auth.changePassword', {
        currentPassword: nurse.password,
        newPassword: HER_NEW_PASSWORD,
      });
    const opens = async (password: string) =>
      (await verifyPassword(password, accountRow(core, nurse.userId).password_hash, TEST_PASSWORD_HASHING))
        .valid;
    return { core, invoke, admin, nurse, change, opens };
  }

  it('a new name: her new password is saved, and the new name stays', async () => {
    const { core, invoke, admin, nurse, change, opens } = await nurseChanging();
    const before = accountRow(core, nurse.userId);

    const answer = await whileHeld('password-check', change, () =>
      adminChanges(invoke, admin.senderId, nurse.userId, { displayName: 'Nurse Renamed' }),
    );

    expect(answer).toMatchObject({ ok: true });
    expect(await opens(HER_NEW_PASSWORD)).toBe(true);
    expect(accountRow(core, nurse.userId)).toMatchObject({
      display_name: 'Nurse Renamed',
      credentials_version: before.credentials_version + 1,
    });
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'signed-in' });
  });

  it.each([
    ['switched off and on again within the same millisecond', 'off-and-on'],
    ['a password reset', 'reset'],
  ])('%s: her new password is not saved, and she is signed out', async (_what, what) => {
    const { core, invoke, admin, nurse, change, opens } = await nurseChanging();

    const answer = await whileHeld('password-check', change, () =>
      what === 'reset'
        ? adminChanges(invoke, admin.senderId, nurse.userId, { password: RESET_PASSWORD })
        : offAndOn(invoke, admin.senderId, nurse.userId),
    );

    expect(answer).toMatchObject(notSignedIn);
    expect(await opens(HER_NEW_PASSWORD)).toBe(false);
    expect(await opens(what === 'reset' ? RESET_PASSWORD : nurse.password)).toBe(true);
    expect(accountRow(core, nurse.userId).disabled).toBe(0);
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'signed-out' });
  });

  it('a change of her credentials that signs nobody out: not saved, said so, and saved when she tries again', async () => {
    const { core, nurse, change, opens } = await nurseChanging();

    const answer = await whileHeld('password-check', change, () => {
      core
        .db!.prepare('UPDATE users SET credentials_version = credentials_version + 1 WHERE id = ?')
        .run(nurse.userId);
    });

    expect(answer).toMatchObject(changedMeanwhile);
    expect(await opens(nurse.password)).toBe(true);
    expect(records(core, nurse.userId, 'auth.changePassword').at(-1)).toEqual({
      outcome: 'denied',
      detail: 'account-changed',
    });
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'signed-in' });
    expect(await change()).toMatchObject({ ok: true });
    expect(await opens(HER_NEW_PASSWORD)).toBe(true);
  });
});

describe('confirming an authenticator paused mid-check while an administrator changes the account', () => {
  async function newNurseEnrolling() {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const { userId } = await nurseSignedInAtWard(core, admin.senderId, 'new.nurse');
    const { secret } = await call<{ secret: string }>(core, 'ward', 'auth.enrolTotp', {});
    const confirm = () => async () =>
      invoke('ward', 'auth.confirmTotp', { code: await currentTotp(secret, core.clock) });
    return { core, clock, invoke, admin, userId, secret, confirm };
  }

  it('a new name: the authenticator is bound', async () => {
    const { core, invoke, admin, userId, secret, confirm } = await newNurseEnrolling();

    const answer = await whileHeld('code-check', confirm(), () =>
      adminChanges(invoke, admin.senderId, userId, { displayName: 'Nurse Renamed' }),
    );

    expect(answer).toMatchObject({ ok: true, value: { state: 'signed-in' } });
    expect(accountRow(core, userId)).toMatchObject({ totp_secret: secret, display_name: 'Nurse Renamed' });
  });

  it('switched off and on again within the same millisecond: not bound, and she is signed out', async () => {
    const { core, invoke, admin, userId, confirm } = await newNurseEnrolling();

    const answer = await whileHeld('code-check', confirm(), () => offAndOn(invoke, admin.senderId, userId));

    expect(answer).toMatchObject(notSignedIn);
    expect(accountRow(core, userId).totp_secret).toBeNull();
    expect(await statusAt(core, 'ward')).toMatchObject({ state: 'signed-out' });
  });

  it('a change of her credentials that signs nobody out: not bound, said so, and bound when she tries again', async () => {
    const { core, clock, userId, secret, confirm } = await newNurseEnrolling();

    const answer = await whileHeld('code-check', confirm(), () => {
      core
        .db!.prepare('UPDATE users SET credentials_version = credentials_version + 1 WHERE id = ?')
        .run(userId);
    });

    expect(answer).toMatchObject(changedMeanwhile);
    expect(accountRow(core, userId).totp_secret).toBeNull();
    expect(records(core, userId, 'auth.enrolTotp').at(-1)).toEqual({
      outcome: 'denied',
      detail: 'account-changed',
    });
    // The same enrolment is still pending: the next code from the QR code she scanned binds it.
    clock.advance(30_000);
    expect(await confirm()()).toMatchObject({ ok: true, value: { state: 'signed-in' } });
    expect(accountRow(core, userId).totp_secret).toBe(secret);
  });
});

describe('the hashing-cost upgrade is not a change of who can get in', () => {
  it('rewrites her hash at the next good sign-in and leaves the credentials version where it was', async () => {
    const { core, clock, invoke } = await authCore();
    const { nurse, code } = await nurseAtTheDoor(core, clock);
    const weaker = await hashPassword(nurse.password, { ...TEST_PASSWORD_HASHING, N: 2 ** 10 });
    core.db!.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(weaker, nurse.userId);
    const before = accountRow(core, nurse.userId);

    expect(await signIn(invoke, nurse, { totp: code })()).toMatchObject({
      ok: true,
      value: { result: 'signed-in' },
    });

    const after = accountRow(core, nurse.userId);
    expect(parsePasswordHash(after.password_hash)?.params.N).toBe(TEST_PASSWORD_HASHING.N);
    expect(after.credentials_version).toBe(before.credentials_version);
  });
});
