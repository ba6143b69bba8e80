import { describe, expect, it } from 'vitest';
import { currentTotp } from '../../../main/auth/totp';
import { firstAdmin, signInAs, TEMPORARY_PASSWORD, TEST_PASSWORD } from '../../support/session';
import { authCore } from './helpers';

const NEW_PASSWORD = 'a brand new passphrase';

describe('changing your own password', () => {
  it('needs the current password, then only the new one signs in', async () => {
    const { core, clock, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse', 'desk');
    const changed = await invoke('desk', 'auth.changePassword', {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(changed).toEqual({ ok: true, value: { signedOutElsewhere: 0 } });
    // The window that changed it stays signed in.
    expect(await invoke('desk', 'auth.status')).toMatchObject({ value: { state: 'signed-in' } });

    clock.advance(30_000);
    const old = await invoke('w2', 'auth.signIn', { username: nurse.username, password: TEST_PASSWORD });
    expect(old).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    const fresh = await invoke('w2', 'auth.signIn', {
      username: nurse.username,
      password: NEW_PASSWORD,
      totp: await currentTotp(nurse.totpSecret!, clock),
    });
    expect(fresh).toMatchObject({ ok: true, value: { result: 'signed-in' } });
  });

  it('refuses a wrong current password on its field, keeps the session, and counts it towards lockout', async () => {
    const { core, invoke } = await authCore();
    await signInAs(core, 'clinician', 'desk');
    const wrong = await invoke('desk', 'auth.changePassword', {
      currentPassword: 'not my password',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', issues: [{ path: 'currentPassword' }] },
    });
    expect(await invoke('desk', 'auth.status')).toMatchObject({ value: { state: 'signed-in' } });

    let last = wrong;
    for (let i = 0; i < 10 && !(!last.ok && last.error.code === 'FORBIDDEN'); i += 1)
      last = await invoke('desk', 'auth.changePassword', {
        currentPassword: `guess number ${i}`,
        newPassword: NEW_PASSWORD,
      });
    // Guessing from an unlocked screen stops: even the right password now waits.
    expect(last).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await invoke('desk', 'auth.changePassword', {
        currentPassword: TEST_PASSWORD,
        newPassword: NEW_PASSWORD,
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a new password that is too short or the same as the current one', async () => {
    const { core, invoke } = await authCore();
    await signInAs(core, 'nurse', 'desk');
    expect(
      await invoke('desk', 'auth.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'short' }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', issues: [{ path: 'newPassword' }] } });
    expect(
      await invoke('desk', 'auth.changePassword', {
        currentPassword: TEST_PASSWORD,
        newPassword: TEST_PASSWORD,
      }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', issues: [{ path: 'newPassword' }] } });
  });

  it("signs the user's other windows out and audits the change without the password", async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await signInAs(core, 'nurse', 'desk');
    clock.advance(30_000);
    await invoke('second-window', 'auth.signIn', {
      username: nurse.username,
      password: TEST_PASSWORD,
      totp: await currentTotp(nurse.totpSecret!, clock),
    });
    expect(await invoke('second-window', 'auth.status')).toMatchObject({ value: { state: 'signed-in' } });

    expect(
      await invoke('desk', 'auth.changePassword', {
        currentPassword: TEST_PASSWORD,
        newPassword: NEW_PASSWORD,
      }),
    ).toEqual({ ok: true, value: { signedOutElsewhere: 1 } });
    expect(await invoke('second-window', 'auth.status')).toMatchObject({ value: { state: 'signed-out' } });
    expect(await invoke('desk', 'auth.status')).toMatchObject({ value: { state: 'signed-in' } });

    const listed = await invoke(admin.senderId, 'audit.list', { filter: { action: 'auth.changePassword' } });
    expect(listed).toMatchObject({
      ok: true,
      value: {
        records: [
          {
            action: 'auth.changePassword',
            actorUserId: nurse.userId,
            resourceId: nurse.userId,
            outcome: 'success',
            detail: 'signed-out-elsewhere:1',
          },
          // The first sign-in replaced the password the administrator set.
          {
            action: 'auth.changePassword',
            actorUserId: nurse.userId,
            outcome: 'success',
            detail: 'was-set-by-admin',
          },
        ],
      },
    });
    const exported = JSON.stringify(listed);
    expect(exported).not.toContain(NEW_PASSWORD);
    expect(exported).not.toContain(TEST_PASSWORD);
  });

  it('a password an administrator resets must be replaced at the next sign-in, and the old one stops working', async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await signInAs(core, 'nurse', 'desk');
    await invoke('desk', 'auth.signOut');
    const reset = 'reset by the admin today';
    expect(await invoke(admin.senderId, 'users.update', { id: nurse.userId, password: reset })).toMatchObject(
      {
        ok: true,
        value: { passwordChangeRequired: true },
      },
    );
    clock.advance(30_000);
    const totp = await currentTotp(nurse.totpSecret!, clock);
    expect(
      await invoke('desk', 'auth.signIn', { username: nurse.username, password: TEST_PASSWORD, totp }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    clock.advance(30_000);
    expect(
      await invoke('desk', 'auth.signIn', {
        username: nurse.username,
        password: reset,
        totp: await currentTotp(nurse.totpSecret!, clock),
      }),
    ).toMatchObject({ ok: true, value: { result: 'password-change-required' } });
    expect(await invoke('desk', 'patients.recent', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });
    // Keeping the administrator's password is not a choice.
    expect(
      await invoke('desk', 'auth.changePassword', { currentPassword: reset, newPassword: reset }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', issues: [{ path: 'newPassword' }] },
    });
    expect(
      await invoke('desk', 'auth.changePassword', { currentPassword: reset, newPassword: NEW_PASSWORD }),
    ).toMatchObject({ ok: true });
    // Already enrolled: straight on to work.
    expect(await invoke('desk', 'auth.status')).toMatchObject({ value: { state: 'signed-in' } });
    expect(await invoke('desk', 'patients.recent', {})).toMatchObject({ ok: true });
  });

  it('the first administrator chose their own password and is not asked again', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    expect(await invoke(admin.senderId, 'auth.status')).toMatchObject({ value: { state: 'signed-in' } });
    expect(await invoke(admin.senderId, 'users.list')).toMatchObject({
      value: [expect.objectContaining({ id: admin.userId, passwordChangeRequired: false })],
    });
  });

  it('a screen left at the choose-your-password step locks when idle, and unlocks back to that step', async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    await invoke(admin.senderId, 'users.create', {
      username: 'omar',
      displayName: 'Omar Nurse',
      role: 'nurse',
      password: TEMPORARY_PASSWORD,
    });
    expect(
      await invoke('desk', 'auth.signIn', { username: 'omar', password: TEMPORARY_PASSWORD }),
    ).toMatchObject({
      value: { result: 'password-change-required' },
    });
    clock.advance(6 * 60_000);
    expect(await invoke('desk', 'auth.status')).toMatchObject({ value: { state: 'locked' } });
    // Locked: not even the password step goes on until the screen is unlocked.
    expect(
      await invoke('desk', 'auth.changePassword', {
        currentPassword: TEMPORARY_PASSWORD,
        newPassword: NEW_PASSWORD,
      }),
    ).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await invoke('desk', 'auth.unlock', { password: TEMPORARY_PASSWORD })).toMatchObject({
      ok: true,
      value: { status: { state: 'password-change-required' } },
    });
    expect(
      await invoke('desk', 'auth.changePassword', {
        currentPassword: TEMPORARY_PASSWORD,
        newPassword: NEW_PASSWORD,
      }),
    ).toMatchObject({ ok: true });
    expect(await invoke('desk', 'auth.status')).toMatchObject({ value: { state: 'enrolment-required' } });
  });
});
