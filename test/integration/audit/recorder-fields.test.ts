/**
 * The audit recorder on the real encrypted store: each record carries the clock's time, the
 * workstation, the actor, the action and the outcome it was given; anything left out is stored as
 * null (never as a stale value); and a failure to audit is logged by event name and action only,
 * never by content, and never reaches the caller.
 */
import { describe, expect, it } from 'vitest';
import { createAuditStore, type AuditStore } from '../../../main/audit/audit-store';
import { createAuditRecorder, NO_ACTOR } from '../../../main/audit/recorder';
import { memoryLogger } from '../../../main/logging/logger';
import { openFixture } from '../db/fixtures';
import { randomKey } from '../db/helpers';

function recorderOn(store: () => AuditStore | undefined) {
  const f = openFixture(new Date('2026-03-01T09:00:00Z'));
  const logger = memoryLogger();
  let workstation = 'Ward 4 bay 2';
  const recorder = createAuditRecorder({ store, clock: f.clock, workstation: () => workstation, logger });
  return { f, logger, recorder, moveTo: (name: string) => (workstation = name) };
}

function withRealStore() {
  const holder: { store?: AuditStore } = {};
  const setup = recorderOn(() => holder.store);
  const store = createAuditStore(setup.f.db, { key: randomKey(), mayStart: true });
  holder.store = store;
  return { ...setup, store };
}

const PATIENT = 'patient-7';

describe('audit recorder', () => {
  it('stores every field it was given, and the time and workstation at the moment of the event', () => {
    const { f, recorder, store, moveTo } = withRealStore();
    const first = recorder.record({
      actor: { userId: 'nurse-1', role: 'nurse' },
      action: 'observations.record',
      outcome: 'success',
      resourceType: 'Observation',
      resourceId: 'obs-1',
      patientId: PATIENT,
      detail: 'manual',
    });
    f.clock.advance(90_000);
    moveTo('Intake desk');
    const second = recorder.record({
      actor: { userId: 'admin-1', role: 'admin' },
      action: 'patients.get',
      outcome: 'denied',
      resourceType: 'Patient',
      resourceId: PATIENT,
      patientId: PATIENT,
      detail: 'FORBIDDEN',
    });
    const expectedFirst = {
      seq: 1,
      at: '2026-03-01T09:00:00.000Z',
      actorUserId: 'nurse-1',
      actorRole: 'nurse',
      workstation: 'Ward 4 bay 2',
      action: 'observations.record',
      resourceType: 'Observation',
      resourceId: 'obs-1',
      patientId: PATIENT,
      outcome: 'success',
      detail: 'manual',
    };
    const expectedSecond = {
      seq: 2,
      at: '2026-03-01T09:01:30.000Z',
      actorUserId: 'admin-1',
      actorRole: 'admin',
      workstation: 'Intake desk',
      action: 'patients.get',
      resourceType: 'Patient',
      resourceId: PATIENT,
      patientId: PATIENT,
      outcome: 'denied',
      detail: 'FORBIDDEN',
    };
    expect(first).toMatchObject(expectedFirst);
    expect(second).toMatchObject(expectedSecond);
    // What was returned is what was stored.
    const stored = store.all({}).map(({ prevHash: _p, hash: _h, ...rest }) => rest);
    expect(stored).toEqual([expectedFirst, expectedSecond]);
    expect(store.verify().ok).toBe(true);
  });

  it('stores omitted resource, patient and detail as null, and an event without an actor as nobody', () => {
    const { recorder, store } = withRealStore();
    recorder.record({ actor: NO_ACTOR, action: 'auth.signIn', outcome: 'failure' });
    recorder.record({
      actor: NO_ACTOR,
      action: 'auth.signIn',
      outcome: 'failure',
      resourceType: undefined,
      resourceId: null,
      patientId: undefined,
      detail: undefined,
    });
    for (const record of store.all({})) {
      expect(record).toMatchObject({
        actorUserId: null,
        actorRole: null,
        resourceType: null,
        resourceId: null,
        patientId: null,
        detail: null,
        outcome: 'failure',
        action: 'auth.signIn',
      });
    }
    expect(store.all({})).toHaveLength(2);
  });

  it('writes several events at once, each with its own fields, in order', () => {
    const { recorder, store } = withRealStore();
    const records = recorder.recordAll(
      ['p-1', 'p-2', 'p-3'].map((patientId) => ({
        actor: { userId: 'nurse-1', role: 'nurse' as const },
        action: 'patients.search',
        outcome: 'success' as const,
        resourceType: 'Patient',
        resourceId: patientId,
        patientId,
      })),
    );
    expect(records?.map((r) => [r.seq, r.patientId, r.resourceId, r.detail])).toEqual([
      [1, 'p-1', 'p-1', null],
      [2, 'p-2', 'p-2', null],
      [3, 'p-3', 'p-3', null],
    ]);
    expect(store.all({}).map((r) => r.patientId)).toEqual(['p-1', 'p-2', 'p-3']);
  });

  it('writes none of a batch when one cannot be written, logs it by action, and does not throw', () => {
    const { f, recorder, store, logger } = withRealStore();
    // The fault: SQLite refuses the second insert of the batch (as a full disk would).
    f.db.exec(`CREATE TEMP TRIGGER audit_refused BEFORE INSERT ON main.audit_log
      WHEN NEW.seq = 2 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const events = ['p-1', 'p-2'].map((patientId) => ({
      actor: { userId: 'nurse-1', role: 'nurse' as const },
      action: 'patients.search',
      outcome: 'success' as const,
      patientId,
    }));
    expect(recorder.recordAll(events)).toBeUndefined();
    expect(store.all({})).toEqual([]);
    expect(logger.records).toEqual([
      {
        level: 'error',
        event: 'audit.append_failed',
        fields: { action: 'patients.search', error: 'SqliteError' },
      },
    ]);
    // Nothing of the event's content reaches the log.
    expect(JSON.stringify(logger.records)).not.toContain('p-1');
    // A single record refused the same way.
    f.db.exec(`DROP TRIGGER temp.audit_refused; CREATE TEMP TRIGGER audit_refused BEFORE INSERT ON
      main.audit_log BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    expect(
      recorder.record({ actor: NO_ACTOR, action: 'auth.signOut', outcome: 'success', patientId: 'p-9' }),
    ).toBeUndefined();
    expect(logger.records[1]).toEqual({
      level: 'error',
      event: 'audit.append_failed',
      fields: { action: 'auth.signOut', error: 'SqliteError' },
    });
  });

  it('names a thrown non-error by its type', () => {
    const { recorder, logger } = recorderOn(() => {
      const refusing: Partial<AuditStore> = {
        append: () => {
          // A store that throws a bare string (a native binding can): logged by its type only.
          throw 'disk full';
        },
        appendAll: () => {
          throw 42;
        },
      };
      return refusing as AuditStore;
    });
    expect(recorder.record({ actor: NO_ACTOR, action: 'auth.lock', outcome: 'success' })).toBeUndefined();
    expect(recorder.recordAll([])).toBeUndefined();
    expect(logger.records).toEqual([
      { level: 'error', event: 'audit.append_failed', fields: { action: 'auth.lock', error: 'string' } },
      { level: 'error', event: 'audit.append_failed', fields: { action: 'none', error: 'number' } },
    ]);
  });

  it('reports an audit trail that is not open (locked database) without throwing', () => {
    const { recorder, logger } = recorderOn(() => undefined);
    expect(
      recorder.record({ actor: NO_ACTOR, action: 'patients.get', outcome: 'success', patientId: PATIENT }),
    ).toBeUndefined();
    expect(
      recorder.recordAll([{ actor: NO_ACTOR, action: 'patients.search', outcome: 'success' }]),
    ).toBeUndefined();
    expect(logger.records).toEqual([
      { level: 'error', event: 'audit.unavailable', fields: { action: 'patients.get' } },
      { level: 'error', event: 'audit.unavailable', fields: { action: 'patients.search' } },
    ]);
  });
});
