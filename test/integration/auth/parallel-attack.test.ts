/**
 * Sign-in under parallel attack: guesses sent all at once must count one by one, a code must sign in
 * once however many windows send it together, and a clock set back must say so rather than fail inside.
 */
import { describe, expect, it } from 'vitest';
import { currentTotp } from '../../../main/auth/totp';
import { signInAs } from '../../support/session';
import { authCore } from './helpers';

type Db = NonNullable<Awaited<ReturnType<typeof authCore>>['core']['db']>;

function auditOf(db: Db, userId: string, action: string) {
  return db
    .prepare('SELECT outcome, detail FROM audit_log WHERE actor_user_id = ? AND action = ? ORDER BY seq')
    .all(userId, action) as { outcome: string; detail: string | null }[];
}

function failedAttempts(db: Db, userId: string): number {
  return db.prepare('SELECT failed_attempts FROM users WHERE id = ?').pluck().get(userId) as number;
}

describe('sign-in under parallel attack', () => {
  it('counts 40 simultaneous wrong passwords as 40, checks only the first 5, and then refuses the right one too', async () => {
    const { core, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse');
    const db = core.db!;
    const before = auditOf(db, nurse.userId, 'auth.signIn').length;

    // Forty windows, so the per-window throttle does not hide the per-account counter.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        invoke(`attacker-${i}`, 'auth.signIn', { username: nurse.username, password: `guess number ${i}` }),
      ),
    );

    expect(answers.every((a) => !a.ok)).toBe(true);
    expect(failedAttempts(db, nurse.userId)).toBe(40);
    const records = auditOf(db, nurse.userId, 'auth.signIn').slice(before);
    expect(records.filter((r) => r.outcome === 'failure' && r.detail === 'wrong-password')).toHaveLength(5);
    expect(records.filter((r) => r.outcome === 'denied' && r.detail === 'locked-out')).toHaveLength(35);
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes.filter((c) => c === 'NOT_SIGNED_IN')).toHaveLength(5);
    expect(codes.filter((c) => c === 'FORBIDDEN')).toHaveLength(35);

    // The right password does not get through while the account waits.
    const right = await invoke('nurse-desk', 'auth.signIn', {
      username: nurse.username,
      password: nurse.password,
    });
    expect(right).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('throttles one window guessing many usernames at once after ten tries', async () => {
    const { core, invoke } = await authCore();
    await signInAs(core, 'nurse');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        invoke('one-keyboard', 'auth.signIn', { username: `someone.${i}`, password: 'a guessed password' }),
      ),
    );
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes.filter((c) => c === 'NOT_SIGNED_IN')).toHaveLength(10);
    expect(codes.filter((c) => c === 'FORBIDDEN')).toHaveLength(20);
  });

  it('signs in once with one code sent from three windows at the same moment', async () => {
    const { core, clock, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse', 'enrol');
    await invoke('enrol', 'auth.signOut');
    clock.advance(60_000);
    const totp = await currentTotp(nurse.totpSecret!, clock);
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((w) =>
        invoke(w, 'auth.signIn', { username: nurse.username, password: nurse.password, totp }),
      ),
    );
    const signedIn = answers.filter((a) => a.ok && (a.value as { result: string }).result === 'signed-in');
    expect(signedIn).toHaveLength(1);
    expect(answers.filter((a) => !a.ok && a.error.code === 'NOT_SIGNED_IN')).toHaveLength(2);
    const details = auditOf(core.db!, nurse.userId, 'auth.signIn').map((r) => r.detail);
    expect(details.filter((d) => d === 'reused-code')).toHaveLength(2);
  });

  it('says the clock is behind, with its own code, when the clock is set back after a code was used', async () => {
    const { core, clock, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse', 'enrol');
    await invoke('enrol', 'auth.signOut');
    const usedAt = clock.now();
    clock.advance(60_000);
    const first = await invoke('w', 'auth.signIn', {
      username: nurse.username,
      password: nurse.password,
      totp: await currentTotp(nurse.totpSecret!, clock),
    });
    expect(first).toMatchObject({ ok: true, value: { result: 'signed-in' } });
    await invoke('w', 'auth.signOut');
    const attemptsBefore = failedAttempts(core.db!, nurse.userId);

    // Someone sets the workstation's clock back ten minutes.
    clock.set(new Date(usedAt.getTime() - 10 * 60_000));
    const answer = await invoke('w', 'auth.signIn', {
      username: nurse.username,
      password: nurse.password,
      totp: await currentTotp(nurse.totpSecret!, clock),
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'CLOCK_BEHIND' } });
    if (!answer.ok) expect(answer.error.message).toMatch(/clock/);
    // Nobody typed anything wrong: it does not count towards lockout.
    expect(failedAttempts(core.db!, nurse.userId)).toBe(attemptsBefore);
    expect(auditOf(core.db!, nurse.userId, 'auth.signIn').at(-1)).toEqual({
      outcome: 'denied',
      detail: 'clock-behind',
    });
  });
});
