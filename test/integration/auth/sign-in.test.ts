import { describe, expect, it } from 'vitest';
import { currentTotp } from '../../../main/auth/totp';
import { parsePolicy } from '../../../main/policy/load';
import { firstAdmin, signInAs, TEMPORARY_PASSWORD, TEST_PASSWORD } from '../../support/session';
import { authCore } from './helpers';

describe('first-run setup', () => {
  it('says setup is needed, creates the first admin once, and makes it enrol two-factor', async () => {
    const { invoke } = await authCore();
    expect(await invoke('w1', 'auth.status')).toMatchObject({ ok: true, value: { state: 'setup-required' } });
    const setup = await invoke('w1', 'auth.setupFirstAdmin', {
      username: 'ada',
      displayName: 'Ada Admin',
      password: 'a long enough password',
    });
    expect(setup).toMatchObject({ ok: true, value: { result: 'enrolment-required' } });
    // Before enrolling, nothing but sign-in channels may be used.
    expect(await invoke('w1', 'users.list')).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    const again = await invoke('w2', 'auth.setupFirstAdmin', {
      username: 'mallory',
      displayName: 'Mallory',
      password: 'another long password',
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await invoke('w2', 'auth.status')).toMatchObject({ ok: true, value: { state: 'signed-out' } });
  });

  it('refuses a short password with a field message', async () => {
    const { invoke } = await authCore();
    const result = await invoke('w1', 'auth.setupFirstAdmin', {
      username: 'ada',
      displayName: 'A',
      password: 'short',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    if (!result.ok) expect(result.error.issues?.[0]).toMatchObject({ path: 'password' });
  });
});

describe('sign-in', () => {
  it('signs in with password and the current code, and out again', async () => {
    const { core, clock, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse', 'enrol-window');
    await invoke('enrol-window', 'auth.signOut');
    clock.advance(30_000);
    const step1 = await invoke('w', 'auth.signIn', { username: nurse.username, password: TEST_PASSWORD });
    expect(step1).toEqual({ ok: true, value: { result: 'two-factor-required' } });
    expect(await invoke('w', 'auth.status')).toMatchObject({ value: { state: 'signed-out' } });
    const code = await currentTotp(nurse.totpSecret!, clock);
    const step2 = await invoke('w', 'auth.signIn', {
      username: nurse.username,
      password: TEST_PASSWORD,
      totp: code,
    });
    expect(step2).toMatchObject({
      ok: true,
      value: {
        result: 'signed-in',
        status: { state: 'signed-in', user: { username: nurse.username, role: 'nurse' } },
      },
    });
    // The same code cannot be replayed at another window.
    const replay = await invoke('w3', 'auth.signIn', {
      username: nurse.username,
      password: TEST_PASSWORD,
      totp: code,
    });
    expect(replay).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(await invoke('w', 'auth.signOut')).toMatchObject({ ok: true, value: { state: 'signed-out' } });
  });

  it('refuses a wrong password or unknown user with the same sentence', async () => {
    const { core, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse');
    const wrong = await invoke('w', 'auth.signIn', {
      username: nurse.username,
      password: 'not the password',
    });
    const unknown = await invoke('w', 'auth.signIn', { username: 'nobody.here', password: TEST_PASSWORD });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    if (!wrong.ok && !unknown.ok) expect(wrong.error.message).toBe(unknown.error.message);
    expect(JSON.stringify(wrong)).not.toContain('not the password');
  });

  it('locks the account out after five failures, with backoff, and lets it in after the wait', async () => {
    const { core, clock, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse', 'first');
    for (let i = 0; i < 5; i++) {
      const r = await invoke('w', 'auth.signIn', { username: nurse.username, password: `wrong ${i}` });
      expect(r).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    }
    // Even the right password is refused while locked out, and the message says how long to wait.
    const locked = await invoke('w', 'auth.signIn', { username: nurse.username, password: TEST_PASSWORD });
    expect(locked).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!locked.ok) expect(locked.error.message).toMatch(/wait about 30 seconds/);
    // That try counted as well (6 now): the wait is a minute from then.
    clock.advance(61_000);
    // One more failure (7) doubles the wait to two minutes.
    const wrong = await invoke('w', 'auth.signIn', { username: nurse.username, password: 'wrong again' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    clock.advance(61_000);
    // Trying again before it is over is refused, counts (8) and makes it four minutes.
    const stillLocked = await invoke('w', 'auth.signIn', {
      username: nurse.username,
      password: TEST_PASSWORD,
    });
    expect(stillLocked).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    clock.advance(241_000);
    const ok = await invoke('w', 'auth.signIn', {
      username: nurse.username,
      password: TEST_PASSWORD,
      totp: await currentTotp(nurse.totpSecret!, clock),
    });
    expect(ok).toMatchObject({ ok: true, value: { result: 'signed-in' } });
    // Success resets the counter: one new failure does not lock.
    await invoke('w', 'auth.signIn', { username: nurse.username, password: 'typo' });
    clock.advance(30_000);
    const after = await invoke('w', 'auth.signIn', {
      username: nurse.username,
      password: TEST_PASSWORD,
      totp: await currentTotp(nurse.totpSecret!, clock),
    });
    expect(after).toMatchObject({ ok: true, value: { result: 'signed-in' } });
  });

  it('slows down a window that guesses across many usernames, without blocking other windows', async () => {
    const { core, clock, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse', 'n');
    await invoke('n', 'auth.signOut');
    for (let i = 0; i < 10; i++) {
      const r = await invoke('kiosk', 'auth.signIn', { username: `guess.${i}`, password: 'guess password' });
      expect(r).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    }
    expect(
      await invoke('kiosk', 'auth.signIn', { username: nurse.username, password: TEST_PASSWORD }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await invoke('desk', 'auth.signIn', { username: nurse.username, password: TEST_PASSWORD }),
    ).toMatchObject({
      ok: true,
      value: { result: 'two-factor-required' },
    });
    // The refused try counted too (11): the window waits a minute.
    clock.advance(61_000);
    expect(
      await invoke('kiosk', 'auth.signIn', { username: nurse.username, password: TEST_PASSWORD }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('refuses a disabled account, and signs its open session out', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await signInAs(core, 'nurse', 'nurse-window');
    const off = await invoke(admin.senderId, 'users.update', { id: nurse.userId, disabled: true });
    expect(off).toMatchObject({ ok: true, value: { disabled: true } });
    expect(await invoke('nurse-window', 'auth.status')).toMatchObject({ value: { state: 'signed-out' } });
    const again = await invoke('w', 'auth.signIn', { username: nurse.username, password: TEST_PASSWORD });
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    if (!again.ok) expect(again.error.message).toMatch(/switched off/);
  });

  it('keeps at least one active administrator', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const demote = await invoke(admin.senderId, 'users.update', { id: admin.userId, role: 'nurse' });
    expect(demote).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const dup = await invoke(admin.senderId, 'users.create', {
      username: admin.username.toUpperCase(),
      displayName: 'Dup',
      role: 'nurse',
      password: TEST_PASSWORD,
    });
    expect(dup).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('two-factor enrolment and recovery codes (fixed clock)', () => {
  it('first sign-in: chooses an own password, then enrols with a QR code, refusing a wrong first code', async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    await invoke(admin.senderId, 'users.create', {
      username: 'nina',
      displayName: 'Nina Nurse',
      role: 'nurse',
      password: TEMPORARY_PASSWORD,
    });
    expect(await invoke(admin.senderId, 'users.list')).toMatchObject({
      value: expect.arrayContaining([
        expect.objectContaining({ username: 'nina', passwordChangeRequired: true }),
      ]),
    });
    expect(
      await invoke('w', 'auth.signIn', { username: 'nina', password: TEMPORARY_PASSWORD }),
    ).toMatchObject({
      value: { result: 'password-change-required', status: { state: 'password-change-required' } },
    });
    // Nothing else until the password is her own: no patient data, not even two-factor set-up.
    for (const [channel, request] of [
      ['patients.search', { query: 'a' }],
      ['auth.enrolTotp', {}],
    ] as const)
      expect(await invoke('w', channel, request)).toMatchObject({
        ok: false,
        error: { code: 'NOT_SIGNED_IN', message: 'Please choose your own password first.' },
      });
    expect(
      await invoke('w', 'auth.changePassword', {
        currentPassword: TEMPORARY_PASSWORD,
        newPassword: TEST_PASSWORD,
      }),
    ).toEqual({ ok: true, value: { signedOutElsewhere: 0 } });
    expect(await invoke('w', 'auth.status')).toMatchObject({ value: { state: 'enrolment-required' } });
    expect(await invoke(admin.senderId, 'users.list')).toMatchObject({
      value: expect.arrayContaining([
        expect.objectContaining({ username: 'nina', passwordChangeRequired: false }),
      ]),
    });
    const enrolment = await invoke('w', 'auth.enrolTotp');
    expect(enrolment.ok).toBe(true);
    if (!enrolment.ok) return;
    const { otpauthUrl, qrDataUrl, secret, recoveryCodes } = enrolment.value as {
      otpauthUrl: string;
      qrDataUrl: string;
      secret: string;
      recoveryCodes: string[];
    };
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(recoveryCodes).toHaveLength(10);
    // The screen asking again (a re-render) shows the same secret: the QR code already scanned stays valid.
    const again = await invoke('w', 'auth.enrolTotp');
    expect(again).toMatchObject({ ok: true, value: { secret, recoveryCodes } });
    const code = await currentTotp(secret, clock);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(await invoke('w', 'auth.confirmTotp', { code: wrong })).toMatchObject({ ok: false });
    expect(await invoke('w', 'auth.confirmTotp', { code })).toMatchObject({
      ok: true,
      value: { state: 'signed-in', twoFactorEnrolled: true },
    });
    // The secret is stored only in the encrypted database; the recovery codes only as hashes.
    const stored = core.db!.prepare('SELECT code_hash FROM user_recovery_codes').pluck().all() as string[];
    for (const c of recoveryCodes) expect(stored.join()).not.toContain(c);
  });

  it('does not let an open session replace a working authenticator', async () => {
    const { core, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse', 'n');
    expect(nurse.totpSecret).not.toBeNull();
    expect(await invoke('n', 'auth.enrolTotp')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('accepts each recovery code once', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    await invoke(admin.senderId, 'users.create', {
      username: 'rita',
      displayName: 'Rita',
      role: 'clinician',
      password: TEMPORARY_PASSWORD,
    });
    await invoke('w', 'auth.signIn', { username: 'rita', password: TEMPORARY_PASSWORD });
    await invoke('w', 'auth.changePassword', {
      currentPassword: TEMPORARY_PASSWORD,
      newPassword: TEST_PASSWORD,
    });
    const { enrol } = await import('../../support/session');
    const { recoveryCodes } = await enrol(core, 'w');
    await invoke('w', 'auth.signOut');
    const code = recoveryCodes[4]!;
    const first = await invoke('w', 'auth.signIn', {
      username: 'rita',
      password: TEST_PASSWORD,
      recoveryCode: code,
    });
    expect(first).toMatchObject({ ok: true, value: { result: 'signed-in' } });
    await invoke('w', 'auth.signOut');
    const second = await invoke('w', 'auth.signIn', {
      username: 'rita',
      password: TEST_PASSWORD,
      recoveryCode: code,
    });
    expect(second).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    const other = await invoke('w', 'auth.signIn', {
      username: 'rita',
      password: TEST_PASSWORD,
      recoveryCode: recoveryCodes[5]!.toLowerCase(),
    });
    expect(other).toMatchObject({ ok: true, value: { result: 'signed-in' } });
  });

  it('after an admin resets two-factor, the account enrols again', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await signInAs(core, 'nurse', 'n');
    await invoke('n', 'auth.signOut');
    await invoke(admin.senderId, 'users.update', { id: nurse.userId, resetTwoFactor: true });
    expect(
      await invoke('n', 'auth.signIn', { username: nurse.username, password: TEST_PASSWORD }),
    ).toMatchObject({
      value: { result: 'enrolment-required' },
    });
  });

  it('without the two-factor policy, a password signs in directly', async () => {
    // Only IT's policy may switch two-step sign-in off.
    const { core, invoke } = await authCore({
      policy: { file: 'policy.json', ...parsePolicy(JSON.stringify({ requireTwoFactor: false })) },
    });
    const nurse = await signInAs(core, 'nurse', 'n');
    expect(nurse.totpSecret).toBeNull();
    expect(await invoke('n', 'auth.status')).toMatchObject({
      value: { state: 'signed-in', twoFactorEnrolled: false },
    });
  });
});

describe('idle lock, unlock and user switch', () => {
  it('locks after the idle minutes, refuses work while locked, and unlocks with the password', async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await signInAs(core, 'admin', 'desk');
    const status = await invoke('desk', 'auth.status');
    const idleMs =
      (status.ok ? (status.value as { policy: { idleLockMinutes: number } }).policy.idleLockMinutes : 0) *
      60_000;
    expect(idleMs).toBeGreaterThan(0);
    expect(await invoke('desk', 'users.list')).toMatchObject({ ok: true });
    clock.advance(idleMs - 1000);
    await invoke('desk', 'auth.activity');
    clock.advance(idleMs - 1000);
    // Calls other than auth.activity do not count as activity (a polling screen must not keep it open).
    expect(await invoke('desk', 'users.list')).toMatchObject({ ok: true });
    clock.advance(1000);
    expect(await invoke('desk', 'users.list')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await invoke('desk', 'auth.status')).toMatchObject({
      value: { state: 'locked', unlockNeedsTwoFactor: false },
    });
    // Activity does not unlock.
    expect(await invoke('desk', 'auth.activity')).toMatchObject({ value: { state: 'locked' } });
    expect(await invoke('desk', 'auth.unlock', { password: 'wrong password' })).toMatchObject({ ok: false });
    expect(await invoke('desk', 'auth.unlock', { password: admin.password })).toMatchObject({
      ok: true,
      value: { result: 'signed-in' },
    });
    expect(await invoke('desk', 'users.list')).toMatchObject({ ok: true });
  });

  it('asks for the code again to unlock once the last code is older than policy allows', async () => {
    const { core, clock, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse', 'desk');
    clock.advance(61 * 60_000);
    expect(await invoke('desk', 'auth.status')).toMatchObject({
      value: { state: 'locked', unlockNeedsTwoFactor: true },
    });
    expect(await invoke('desk', 'auth.unlock', { password: nurse.password })).toEqual({
      ok: true,
      value: { result: 'two-factor-required' },
    });
    const totp = await currentTotp(nurse.totpSecret!, clock);
    expect(await invoke('desk', 'auth.unlock', { password: nurse.password, totp })).toMatchObject({
      value: { result: 'signed-in', status: { state: 'signed-in' } },
    });
  });

  it('locks by hand, and a quick user switch signs the other user out', async () => {
    const { core, clock, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse', 'desk');
    const clinician = await signInAs(core, 'clinician', 'elsewhere');
    await invoke('elsewhere', 'auth.signOut');
    expect(await invoke('desk', 'auth.lock')).toMatchObject({ value: { state: 'locked' } });
    clock.advance(30_000);
    const switched = await invoke('desk', 'auth.signIn', {
      username: clinician.username,
      password: clinician.password,
      totp: await currentTotp(clinician.totpSecret!, clock),
    });
    expect(switched).toMatchObject({
      value: { result: 'signed-in', status: { user: { id: clinician.userId } } },
    });
    const trail = core
      .db!.prepare("SELECT actor_user_id, detail FROM audit_log WHERE action = 'auth.signOut'")
      .all();
    expect(trail).toContainEqual({ actor_user_id: nurse.userId, detail: 'user-switch' });
  });
});
