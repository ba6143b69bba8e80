/**
 * What the outbox remembers about progress and problems, on a real encrypted database and a hand-moved
 * clock (no server): how far the audit trail has gone to the server, a problem IT should know about
 * although the entries went, and what a visit's outcome alone says in the sync status. People and values
 * are invented.
 */
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../../main/sync/outbox';
import { manualClock } from '../../../main/platform/clock';
import { NURSE, OFFLINE_URL, openWorkstation, recordHeartRates, registerPatient } from './helpers';

const MORNING = new Date('2026-03-03T08:00:00.000Z');

function desk() {
  const ws = openWorkstation({ baseUrl: OFFLINE_URL });
  const clock = manualClock(MORNING);
  const outbox = createOutbox(ws.db, clock);
  return { ws, clock, outbox };
}

describe('how far the audit trail has gone to the server', () => {
  it('starts at none, moves forward, survives a restart, and a refusal for good is reported', async () => {
    const { ws, clock, outbox } = desk();
    expect(outbox.auditSentSeq()).toBe(0);

    clock.advance(1_000);
    outbox.setAuditSentSeq(12);
    expect(outbox.auditSentSeq()).toBe(12);
    // A normal step says nothing to IT.
    expect(outbox.summary()).toMatchObject({ lastError: null, lastErrorAt: null });
    // A new outbox on the same database (the app restarted) goes on from there.
    expect(createOutbox(ws.db, clock).auditSentSeq()).toBe(12);

    // Records refused for good: the position moves past them, and IT is told when.
    clock.advance(1_000);
    outbox.setAuditSentSeq(15, 'The FHIR server refused some audit records.');
    expect(outbox.auditSentSeq()).toBe(15);
    expect(outbox.summary()).toMatchObject({
      lastError: 'The FHIR server refused some audit records.',
      lastErrorAt: '2026-03-03T08:00:02.000Z',
    });
    // The next audit step alone does not hide the problem; it stays until the clinic's data goes again.
    clock.advance(1_000);
    outbox.setAuditSentSeq(20);
    expect(outbox.auditSentSeq()).toBe(20);
    expect(outbox.summary()).toMatchObject({
      lastError: 'The FHIR server refused some audit records.',
      lastErrorAt: '2026-03-03T08:00:02.000Z',
    });
    await ws.close();
  });

  it.each([
    ['a negative number', '-3'],
    ['a fraction', '2.5'],
    ['not a number', 'seven'],
    ['beyond a safe integer', '9007199254740993'],
  ])('a damaged position (%s) reads as none, so the whole trail is sent again', async (_why, stored) => {
    const { ws, outbox } = desk();
    ws.db
      .prepare(
        `INSERT INTO sync_state (key, value) VALUES ('auditSentSeq', ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(stored);
    expect(outbox.auditSentSeq()).toBe(0);
    await ws.close();
  });
});

describe('what an outcome says in the sync status', () => {
  it('entries confirmed with a problem (e.g. their provenance refused) report it, with when', async () => {
    const { ws, clock, outbox } = desk();
    const [first, second] = recordHeartRates(ws, registerPatient(ws).id, 2) as [string, string];
    clock.advance(60_000);
    expect(
      outbox.markSent(
        [{ observationId: first, remoteId: 'Observation/1' }],
        'The server refused a provenance.',
      ),
    ).toBe(1);
    expect(outbox.summary()).toMatchObject({
      queueLength: 1,
      lastSuccessAt: '2026-03-03T08:01:00.000Z',
      lastError: 'The server refused a provenance.',
      lastErrorAt: '2026-03-03T08:01:00.000Z',
    });
    // A clean confirmation later clears the problem; when it happened stays on record.
    clock.advance(60_000);
    expect(outbox.markSent([{ observationId: second, remoteId: 'Observation/2' }])).toBe(1);
    expect(outbox.summary()).toMatchObject({
      queueLength: 0,
      lastSuccessAt: '2026-03-03T08:02:00.000Z',
      lastError: null,
      lastErrorAt: '2026-03-03T08:01:00.000Z',
    });
    await ws.close();
  });

  it('a visit that could not be sent, then sent, is the last error, then the last success', async () => {
    const { ws, clock, outbox } = desk();
    const patient = registerPatient(ws, 'T-0601');
    const visit = ws.encounters.startEncounter({ patientId: patient.id }, NURSE);
    ws.encounters.finishEncounter(visit.id, NURSE);
    clock.advance(30_000);
    outbox.markEncountersFailed([visit.id], 'The FHIR server could not be reached.', false);
    expect(outbox.summary()).toEqual({
      queueLength: 0,
      updatesWaiting: 1,
      rejected: 0,
      lastSuccessAt: null,
      lastError: 'The FHIR server could not be reached.',
      lastErrorAt: '2026-03-03T08:00:30.000Z',
    });
    clock.advance(30_000);
    expect(outbox.markEncountersSent([visit.id])).toBe(1);
    expect(outbox.summary()).toEqual({
      queueLength: 0,
      updatesWaiting: 0,
      rejected: 0,
      lastSuccessAt: '2026-03-03T08:01:00.000Z',
      lastError: null,
      lastErrorAt: '2026-03-03T08:00:30.000Z',
    });
    await ws.close();
  });
});
