/**
 * An administrator resets a password or an authenticator because someone else may hold it: whoever is
 * signed in with it, at any window, is signed out at once and cannot go on with the old session.
 */
import { describe, expect, it } from 'vitest';
import { currentTotp } from '../../../main/auth/totp';
import { firstAdmin, signInAs } from '../../support/session';
import { authCore } from './helpers';

describe("an administrator's reset ends that user's sessions", () => {
  it('a password reset signs the user out at every window, and the attacker window cannot read on', async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    // The nurse at the desk, and someone who learnt her password and a code, at another window.
    const nurse = await signInAs(core, 'nurse', 'nurse-desk');
    clock.advance(30_000);
    const intruder = await invoke('other-window', 'auth.signIn', {
      username: nurse.username,
      password: nurse.password,
      totp: await currentTotp(nurse.totpSecret!, clock),
    });
    expect(intruder).toMatchObject({ ok: true, value: { result: 'signed-in' } });
    expect(await invoke('other-window', 'patients.search', { query: 'Smith' })).toMatchObject({ ok: true });

    const reset = await invoke(admin.senderId, 'users.update', {
      id: nurse.userId,
      password: 'a temporary one from the admin',
    });
    expect(reset).toMatchObject({ ok: true });

    expect(await invoke('nurse-desk', 'auth.status')).toMatchObject({ value: { state: 'signed-out' } });
    expect(await invoke('other-window', 'patients.search', { query: 'Smith' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });
    const signOuts = core
      .db!.prepare("SELECT detail FROM audit_log WHERE actor_user_id = ? AND action = 'auth.signOut'")
      .pluck()
      .all(nurse.userId);
    expect(signOuts).toContain('reset-by-admin:password');
    // The admin who did it is still signed in.
    expect(await invoke(admin.senderId, 'auth.status')).toMatchObject({ value: { state: 'signed-in' } });
  });

  it('a two-step reset signs the user out too, locked windows included', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const clinician = await signInAs(core, 'clinician', 'review-1');
    await invoke('review-1', 'auth.lock');
    expect(await invoke('review-1', 'auth.status')).toMatchObject({ value: { state: 'locked' } });

    await invoke(admin.senderId, 'users.update', { id: clinician.userId, resetTwoFactor: true });

    expect(await invoke('review-1', 'auth.status')).toMatchObject({ value: { state: 'signed-out' } });
    // Unlocking with the password alone no longer brings the old session back.
    expect(await invoke('review-1', 'auth.unlock', { password: clinician.password })).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });
  });

  it('a change of display name alone leaves the user signed in', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await signInAs(core, 'nurse', 'nurse-desk');
    await invoke(admin.senderId, 'users.update', { id: nurse.userId, displayName: 'Nurse Renamed' });
    expect(await invoke('nurse-desk', 'auth.status')).toMatchObject({ value: { state: 'signed-in' } });
  });
});
