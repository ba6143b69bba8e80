/**
 * The outbox's states on a real encrypted database: a refused entry stays refused and visible, a sent
 * entry is sent once, and an ACVPU level travels with its code. People and values are invented.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { identifierToken } from '../../../shared/fhir';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { NURSE, OFFLINE_URL, openWorkstation, recordHeartRates, registerPatient } from './helpers';

describe('outbox states', () => {
  it('a refused entry is set aside for good: not pending, not retried, not later marked sent, and counted', async () => {
    const ws = openWorkstation({ baseUrl: OFFLINE_URL });
    const patient = registerPatient(ws);
    const [refused, other] = recordHeartRates(ws, patient.id, 2) as [string, string];

    ws.outbox.markRejected(refused, 'The FHIR server refused this reading.');
    expect(ws.outbox.items([refused])).toEqual([
      { observationId: refused, state: 'rejected', attempts: 1, sentAt: null },
    ]);
    expect(ws.outbox.pending(10).map((e) => e.observationId)).toEqual([other]);
    expect(ws.outbox.summary()).toMatchObject({
      queueLength: 1,
      rejected: 1,
      lastError: 'The FHIR server refused this reading.',
    });
    expect(ws.outbox.summary().lastErrorAt).not.toBeNull();

    // A later failed attempt or a late confirmation does not bring it back or mark it sent.
    ws.outbox.markAttemptFailed([refused], 'The FHIR server could not be reached.');
    expect(ws.outbox.markSent([{ observationId: refused, remoteId: 'late-1' }])).toBe(0);
    expect(ws.outbox.items([refused])).toEqual([
      { observationId: refused, state: 'rejected', attempts: 1, sentAt: null },
    ]);
    // Refusing it again changes nothing either.
    ws.outbox.markRejected(refused, 'again');
    expect(ws.outbox.items([refused])[0]?.attempts).toBe(1);
    expect(ws.outbox.summary().rejected).toBe(1);
    expect(ws.outbox.pending(10).map((e) => e.observationId)).toEqual([other]);
    await ws.close();
  });

  it('an entry is marked sent at most once: a second confirmation changes nothing', async () => {
    const ws = openWorkstation({ baseUrl: OFFLINE_URL });
    const patient = registerPatient(ws);
    const [id] = recordHeartRates(ws, patient.id, 1) as [string];
    ws.outbox.markAttemptFailed([id], 'The FHIR server could not be reached.');
    expect(ws.outbox.items([id])[0]).toMatchObject({ state: 'pending', attempts: 1 });

    expect(ws.outbox.markSent([{ observationId: id, remoteId: 'remote-1' }])).toBe(1);
    const first = ws.outbox.items([id])[0];
    expect(first).toMatchObject({ state: 'sent', attempts: 1 });
    expect(first?.sentAt).not.toBeNull();
    const remote = (): unknown =>
      ws.db.prepare('SELECT remote_id FROM sync_outbox WHERE observation_id = ?').pluck().get(id);
    expect(remote()).toBe('remote-1');

    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ws.outbox.markSent([{ observationId: id, remoteId: 'remote-2' }])).toBe(0);
    expect(ws.outbox.items([id])[0]).toEqual(first);
    expect(remote()).toBe('remote-1');
    // A failure reported after it was sent does not put it back in the queue.
    ws.outbox.markAttemptFailed([id], 'The FHIR server could not be reached.');
    ws.outbox.markRejected(id, 'late refusal');
    expect(ws.outbox.items([id])[0]).toEqual(first);
    expect(ws.outbox.summary()).toMatchObject({ queueLength: 0, rejected: 0 });
    await ws.close();
  });
});

describe('an ACVPU reading synced', () => {
  let server: FhirTestServer;
  beforeEach(async () => {
    server = await startFhirServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('travels with its coded level, and arrives once', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws);
    const avpu = ws.observations.recordObservation(
      {
        patientId: patient.id,
        kind: 'consciousness',
        valueCode: 'V',
        effectiveAt: new Date(Date.now() - 60_000).toISOString(),
        method: 'manual',
      },
      NURSE,
    );
    const [entry] = ws.outbox.pending(10);
    expect(entry?.unit.observation).toMatchObject({ consciousness: 'V', values: [] });

    expect(await ws.worker.runOnce()).toEqual({ sent: 1, rejected: 0, ok: true });
    const found = await server.search<Observation>(
      'Observation',
      `identifier=${identifierToken('urn:vitals-desk:observation', avpu.seriesId)}`,
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.code.coding?.[0]?.code).toBe('80288-4');
    expect(found[0]?.valueCodeableConcept?.coding?.[0]).toMatchObject({
      code: 'V',
      display: 'Responds to voice',
    });
    expect(found[0]?.valueQuantity).toBeUndefined();
    expect(ws.outbox.items([avpu.id])[0]?.state).toBe('sent');
    await ws.close();
  });
});
