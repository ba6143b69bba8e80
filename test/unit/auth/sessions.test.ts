import { describe, expect, it } from 'vitest';
import { applyIdleLock, createSessionTable, secondFactorStale } from '../../../main/auth/sessions';

const start = new Date('2026-02-01T10:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

function session() {
  return createSessionTable().start(
    { senderId: 'w', userId: 'u', role: 'nurse', stage: 'active', lastSecondFactorAt: start },
    start,
  );
}

describe('idle lock', () => {
  it.each([
    [4.99, false],
    [5, true],
    [30, true],
  ])('after %f idle minutes with a 5-minute policy, locked: %s', (minutes, locked) => {
    const s = session();
    expect(applyIdleLock(s, at(minutes), 5)).toBe(locked);
    expect(s.lockedAt !== null).toBe(locked);
  });

  it('dates the lock when the idle time ran out, and locks only once', () => {
    const s = session();
    s.lastActivityAt = at(2);
    expect(applyIdleLock(s, at(20), 5)).toBe(true);
    expect(s.lockedAt).toEqual(at(7));
    expect(s.lockReason).toBe('idle');
    expect(applyIdleLock(s, at(21), 5)).toBe(false);
  });
});

describe('second factor freshness', () => {
  it('asks again once the last code is as old as the policy allows, or when none was given', () => {
    const s = session();
    expect(secondFactorStale(s, at(59), 60)).toBe(false);
    expect(secondFactorStale(s, at(60), 60)).toBe(true);
    s.lastSecondFactorAt = null;
    expect(secondFactorStale(s, at(1), 60)).toBe(true);
  });
});

describe('session table', () => {
  it('keeps one session per window and finds a user’s sessions', () => {
    const table = createSessionTable();
    table.start(
      { senderId: 'a', userId: 'u1', role: 'nurse', stage: 'active', lastSecondFactorAt: null },
      start,
    );
    table.start(
      { senderId: 'b', userId: 'u1', role: 'nurse', stage: 'active', lastSecondFactorAt: null },
      start,
    );
    table.start(
      { senderId: 'a', userId: 'u2', role: 'clinician', stage: 'active', lastSecondFactorAt: null },
      start,
    );
    expect(table.get('a')?.userId).toBe('u2');
    expect(table.ofUser('u1').map((s) => s.senderId)).toEqual(['b']);
    expect(table.end('b')?.userId).toBe('u1');
    expect(table.all()).toHaveLength(1);
  });
});
