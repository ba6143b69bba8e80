/**
 * An account change the audit trail refuses is not kept, and refusing it takes nothing else with it:
 * wrong passwords counted against the same account at that very moment stay counted, so an attacker
 * cannot race guesses against an administrator's edit (or the user's own password change) to wipe the
 * lockout count. The fault is real: a trigger makes the audit table refuse the change's record, and the
 * guesses are sent from inside that refused insert, so they land between the change and its refusal
 * being answered, every time.
 */
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { AUDIT_NOT_RECORDED_CHANGE } from '../../../main/audit/atomic-writes';
import { currentTotp } from '../../../main/auth/totp';
import type { IpcResult } from '../../../shared/ipc';
import { refuseAuditRecords } from '../../support/audit-fault';
import { call } from '../../support/core';
import { firstAdmin, signInAs, TEMPORARY_PASSWORD, type TestAccount } from '../../support/session';
import { authCore } from './helpers';

const notSaved = { ok: false, error: { code: 'UNAVAILABLE', message: AUDIT_NOT_RECORDED_CHANGE } };
/** One more than the free attempts of the default lockout: the account then has to wait. */
const GUESSES = 5;

/** The account as stored apart from its failure count, with its recovery codes. */
function accountOf(core: Core, userId: string) {
  const {
    failed_attempts: _count,
    last_failed_at: _at,
    ...row
  } = core.db!.prepare('SELECT * FROM users WHERE id = ?').get(userId) as Record<string, unknown>;
  const codes = core
    .db!.prepare('SELECT * FROM user_recovery_codes WHERE user_id = ? ORDER BY code_hash')
    .all(userId);
  return { row, codes };
}

const failedAttempts = (core: Core, userId: string) =>
  core.db!.prepare('SELECT failed_attempts FROM users WHERE id = ?').pluck().get(userId);

/**
 * Makes `change` while the trail refuses records of `action`; at the moment it refuses, someone at
 * other windows sends GUESSES wrong passwords for `username`. Returns the change's answer and the
 * guesses' answers.
 */
async function changeWhileGuessing(
  core: Core,
  action: string,
  username: string,
  change: () => Promise<IpcResult<unknown>>,
) {
  const guesses: Promise<IpcResult<unknown>>[] = [];
  const allowAudit = refuseAuditRecords(core.db!, {
    actions: [action],
    whenRefused: () => {
      if (guesses.length > 0) return;
      // The database is busy with the refused insert: the guesses start as soon as it returns.
      queueMicrotask(() => {
        for (let i = 0; i < GUESSES; i++)
          guesses.push(
            core.invoke('auth.signIn', { username, password: `guess ${i}` }, { senderId: `guesser-${i}` }),
          );
      });
    },
  });
  const answer = await change();
  const guessed = await Promise.all(guesses);
  allowAudit();
  return { answer, guessed: guessed.map((g) => (g.ok ? 'signed in' : g.error.code)) };
}

async function rightPasswordOpens(core: Core, account: Pick<TestAccount, 'username' | 'password'>) {
  const answer = await core.invoke(
    'auth.signIn',
    { username: account.username, password: account.password },
    { senderId: 'right-password' },
  );
  return answer.ok ? (answer.value as { result: string }).result : answer.error.code;
}

describe('a refused account change keeps the failed sign-ins counted meanwhile', () => {
  it.each([
    ['renames her and changes her role', { displayName: 'Renamed Nurse', role: 'clinician' }],
    ['resets her password and two-step sign-in', { password: 'a temporary reset', resetTwoFactor: true }],
    ['switches her account off', { disabled: true }],
  ])('an administrator %s: refused, and the guesses still lock her account', async (_what, changes) => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await signInAs(core, 'nurse', 'nurse-desk');
    const before = accountOf(core, nurse.userId);

    const { answer, guessed } = await changeWhileGuessing(core, 'users.update', nurse.username, () =>
      invoke(admin.senderId, 'users.update', { id: nurse.userId, ...changes }),
    );

    expect(answer).toMatchObject(notSaved);
    expect(guessed).toEqual(Array(GUESSES).fill('NOT_SIGNED_IN'));
    // The administrator's change is gone, every guess is still counted, and the right password now
    // has to wait like any other attempt.
    expect(accountOf(core, nurse.userId)).toEqual(before);
    expect(failedAttempts(core, nurse.userId)).toBe(GUESSES);
    expect(await rightPasswordOpens(core, nurse)).toBe('FORBIDDEN');
    // She is still signed in at her own desk.
    expect(await invoke('nurse-desk', 'auth.status')).toMatchObject({ value: { state: 'signed-in' } });
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
    const recorded = await call<{ records: unknown[] }>(core, admin.senderId, 'audit.list', {
      filter: { action: 'users.update' },
    });
    expect(recorded.records).toEqual([]);
  });

  it('a nurse changing her own password: refused, and the guesses at other windows still lock her account', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    const nurse = await signInAs(core, 'nurse', 'nurse-desk');
    const before = accountOf(core, nurse.userId);

    const { answer, guessed } = await changeWhileGuessing(core, 'auth.changePassword', nurse.username, () =>
      invoke('nurse-desk', 'auth.changePassword', {
        currentPassword: nurse.password,
        newPassword: 'my own new password',
      }),
    );

    expect(answer).toMatchObject(notSaved);
    expect(guessed).toEqual(Array(GUESSES).fill('NOT_SIGNED_IN'));
    expect(accountOf(core, nurse.userId)).toEqual(before);
    expect(failedAttempts(core, nurse.userId)).toBe(GUESSES);
    expect(await rightPasswordOpens(core, nurse)).toBe('FORBIDDEN');
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it('a clinician confirming an authenticator: refused, and the guesses still lock the account', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    await call(core, admin.senderId, 'users.create', {
      username: 'new.clinician',
      displayName: 'New Clinician',
      role: 'clinician',
      password: TEMPORARY_PASSWORD,
    });
    const clinician = { username: 'new.clinician', password: 'a clinician password' };
    await call(core, 'review-1', 'auth.signIn', {
      username: clinician.username,
      password: TEMPORARY_PASSWORD,
    });
    await call(core, 'review-1', 'auth.changePassword', {
      currentPassword: TEMPORARY_PASSWORD,
      newPassword: clinician.password,
    });
    const enrolment = await call<{ secret: string }>(core, 'review-1', 'auth.enrolTotp', {});
    const userId = (core.db!.prepare("SELECT id FROM users WHERE username = 'new.clinician'").pluck().get() ??
      '') as string;
    const before = accountOf(core, userId);

    // The confirmation's record is the enrolment's.
    const code = await currentTotp(enrolment.secret, core.clock);
    const { answer, guessed } = await changeWhileGuessing(core, 'auth.enrolTotp', clinician.username, () =>
      invoke('review-1', 'auth.confirmTotp', { code }),
    );

    expect(answer).toMatchObject(notSaved);
    expect(guessed).toEqual(Array(GUESSES).fill('NOT_SIGNED_IN'));
    expect(accountOf(core, userId)).toEqual(before);
    expect(failedAttempts(core, userId)).toBe(GUESSES);
    expect(await rightPasswordOpens(core, clinician)).toBe('FORBIDDEN');
    expect(await call(core, admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });
});
