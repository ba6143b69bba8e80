/**
 * An administrator's reset (a password, two-step sign-in, or switching an account off) signs that user
 * out, and the sign-outs are part of the reset: its record and theirs are written together, or the reset
 * is not saved and nobody is signed out. The fault is real: a trigger makes the audit table refuse only
 * sign-out records, so the reset's own record could be written but the sign-outs' could not.
 */
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { AUDIT_NOT_RECORDED_CHANGE } from '../../../main/audit/atomic-writes';
import { currentTotp } from '../../../main/auth/totp';
import { refuseAuditRecords } from '../../support/audit-fault';
import { call } from '../../support/core';
import { firstAdmin, signInAs, type TestAccount } from '../../support/session';
import { authCore } from './helpers';

const notSaved = { ok: false, error: { code: 'UNAVAILABLE', message: AUDIT_NOT_RECORDED_CHANGE } };

/** The account exactly as stored, with its recovery codes. */
function accountOf(core: Core, userId: string) {
  return {
    row: core.db!.prepare('SELECT * FROM users WHERE id = ?').get(userId),
    codes: core
      .db!.prepare('SELECT * FROM user_recovery_codes WHERE user_id = ? ORDER BY code_hash')
      .all(userId),
  };
}

/** The trail's records about one user (as actor or as the account changed), oldest first. */
function recordsAbout(core: Core, userId: string) {
  return core
    .db!.prepare(
      `SELECT action, detail FROM audit_log WHERE (actor_user_id = ? OR resource_id = ?)
       AND action IN ('users.update', 'auth.signOut') ORDER BY seq`,
    )
    .all(userId, userId);
}

const stateAt = async (core: Core, senderId: string) =>
  (await call<{ state: string }>(core, senderId, 'auth.status', {})).state;

/** A nurse signed in at her desk and at a ward window, each with its own code of her phone. */
async function nurseAtTwoWindows(core: Core, clock: { advance(ms: number): void }): Promise<TestAccount> {
  const nurse = await signInAs(core, 'nurse', 'nurse-desk');
  clock.advance(30_000);
  await call(core, 'ward', 'auth.signIn', {
    username: nurse.username,
    password: nurse.password,
    totp: await currentTotp(nurse.totpSecret!, core.clock),
  });
  return nurse;
}

describe("an administrator's reset and the sign-outs it causes are one recorded change", () => {
  it.each([
    ['a password reset', { password: 'a temporary reset password' }, 'reset-by-admin:password'],
    ['a two-step reset', { resetTwoFactor: true }, 'reset-by-admin:two-factor-reset'],
    ['switching the account off', { disabled: true }, 'account-disabled'],
  ])(
    '%s: not saved while the sign-outs cannot be recorded, both recorded once they can',
    async (_what, reset, why) => {
      const { core, clock, invoke } = await authCore();
      const admin = await firstAdmin(core);
      const nurse = await nurseAtTwoWindows(core, clock);
      const before = accountOf(core, nurse.userId);
      const update = () => invoke(admin.senderId, 'users.update', { id: nurse.userId, ...reset });

      const allowAudit = refuseAuditRecords(core.db!, { actions: ['auth.signOut'] });
      expect(await update()).toMatchObject(notSaved);
      // The reset is not saved: the account as it was, nobody signed out, her password still hers, and
      // the trail holds neither the reset nor a sign-out.
      expect(accountOf(core, nurse.userId)).toEqual(before);
      expect([await stateAt(core, 'nurse-desk'), await stateAt(core, 'ward')]).toEqual([
        'signed-in',
        'signed-in',
      ]);
      expect(
        await invoke('probe', 'auth.signIn', { username: nurse.username, password: nurse.password }),
      ).toMatchObject({ ok: true, value: { result: 'two-factor-required' } });
      expect(recordsAbout(core, nurse.userId)).toEqual([]);
      allowAudit();

      // Once the trail takes them: the reset, then one sign-out for each of her windows.
      expect(await update()).toMatchObject({ ok: true });
      expect([await stateAt(core, 'nurse-desk'), await stateAt(core, 'ward')]).toEqual([
        'signed-out',
        'signed-out',
      ]);
      expect(recordsAbout(core, nurse.userId)).toEqual([
        { action: 'users.update', detail: expect.any(String) },
        { action: 'auth.signOut', detail: why },
        { action: 'auth.signOut', detail: why },
      ]);
      expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
    },
  );

  it('while sign-outs cannot be recorded, a change that signs nobody out is saved, and a user still signs herself out', async () => {
    const { core, clock, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await nurseAtTwoWindows(core, clock);
    const clinician = await signInAs(core, 'clinician', 'review-1');
    await call(core, 'review-1', 'auth.signOut', {});

    const allowAudit = refuseAuditRecords(core.db!, { actions: ['auth.signOut'] });
    // A new name signs nobody out; a reset of an account signed in nowhere has nobody to sign out.
    expect(
      await invoke(admin.senderId, 'users.update', { id: nurse.userId, displayName: 'Nurse Renamed' }),
    ).toMatchObject({ ok: true, value: { displayName: 'Nurse Renamed' } });
    expect(
      await invoke(admin.senderId, 'users.update', { id: clinician.userId, password: 'a temporary reset' }),
    ).toMatchObject({ ok: true, value: { passwordChangeRequired: true } });
    // Signing oneself out is an event, not a change: it goes ahead without its record.
    expect(await invoke('ward', 'auth.signOut')).toMatchObject({ ok: true, value: { state: 'signed-out' } });
    expect(await stateAt(core, 'nurse-desk')).toBe('signed-in');
    allowAudit();

    expect(recordsAbout(core, nurse.userId)).toEqual([{ action: 'users.update', detail: 'displayName' }]);
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });
});
