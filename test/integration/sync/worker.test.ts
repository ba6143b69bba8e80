/**
 * Store-and-forward sync end to end: a real encrypted database, the outbox trigger, the fetch client and
 * a real FHIR server (Medplum's router over HTTP on loopback) with injected faults.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Encounter, Observation } from '@medplum/fhirtypes';
import { identifierToken } from '../../../shared/fhir';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { memoryLogger } from '../../../main/logging/logger';
import { NURSE, OFFLINE_URL, openWorkstation, recordHeartRates, registerPatient } from './helpers';

let server: FhirTestServer;
beforeEach(async () => {
  server = await startFhirServer();
});
afterEach(async () => {
  await server.close();
});

const bySeries = (seriesId: string): string =>
  `identifier=${identifierToken('urn:vitals-desk:observation', seriesId)}`;

/** Every observation on the server, counted per series id: exactly-once means every count is 1. */
async function serverCounts(): Promise<Map<string, number>> {
  const all = await server.search<Observation>('Observation', '_count=10000');
  const counts = new Map<string, number>();
  for (const o of all) {
    const series = o.identifier?.find((i) => i.system === 'urn:vitals-desk:observation')?.value ?? '?';
    counts.set(series, (counts.get(series) ?? 0) + 1);
  }
  return counts;
}

describe('sync worker', () => {
  it('offline: the queue grows, a restart loses nothing, and once online everything arrives exactly once', async () => {
    const offline = openWorkstation({ baseUrl: OFFLINE_URL });
    const patient = registerPatient(offline);
    const visit = offline.encounters.startEncounter({ patientId: patient.id }, NURSE);
    const first = recordHeartRates(offline, patient.id, 5, visit.id);
    expect(offline.outbox.summary().queueLength).toBe(5);

    const attempt = await offline.worker.runOnce();
    expect(attempt).toEqual({ sent: 0, rejected: 0, ok: false });
    expect(offline.outbox.summary()).toMatchObject({
      queueLength: 5,
      lastSuccessAt: null,
      lastError: 'The FHIR server could not be reached.',
    });
    const more = recordHeartRates(offline, patient.id, 3, visit.id);
    expect(offline.outbox.summary().queueLength).toBe(8);
    await offline.close();

    // Restart on the same encrypted file, now with the server reachable.
    const online = openWorkstation({
      baseUrl: server.baseUrl,
      file: offline.file,
      key: offline.key,
      batchSize: 3,
    });
    expect(online.outbox.summary().queueLength).toBe(8);
    // The failed attempt was counted on the entries it tried (the first batch), and kept across the restart.
    expect(online.outbox.items(first)[0]?.attempts).toBe(1);

    const result = await online.worker.runOnce();
    expect(result).toEqual({ sent: 8, rejected: 0, ok: true });
    expect(online.outbox.summary()).toMatchObject({ queueLength: 0, lastError: null });
    expect(online.outbox.summary().lastSuccessAt).not.toBeNull();
    const items = online.outbox.items([...first, ...more]);
    expect(items.every((i) => i.state === 'sent' && i.sentAt !== null)).toBe(true);

    const counts = await serverCounts();
    expect(counts.size).toBe(8);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const id of [...first, ...more]) expect(counts.get(id)).toBe(1);

    // Each observation travelled in exactly one successful transaction: none was sent twice.
    expect(server.requests.observationEntries).toBe(8);
    // Nothing pending: a further pass sends nothing.
    const transactions = server.requests.transactions;
    expect(await online.worker.runOnce()).toEqual({ sent: 0, rejected: 0, ok: true });
    expect(server.requests.transactions).toBe(transactions);
  });

  it.each(['500', 'timeout', 'drop'] as const)(
    'a %s mid-batch is retried and every observation still arrives exactly once',
    async (fault) => {
      // Sized to Medplum's limit from the start, so the fault lands on the second real transaction.
      const ws = openWorkstation({
        baseUrl: server.baseUrl,
        batchSize: 4,
        timeoutMs: 1_500,
        maxTransactionEntries: 8,
      });
      const patient = registerPatient(ws);
      const ids = recordHeartRates(ws, patient.id, 10);
      // The first transaction and the Provenance transaction after it go through; the next meets the
      // fault; the rest wait.
      server.failNext(1, fault, 2);
      const failed = await ws.worker.runOnce();
      expect(failed.ok).toBe(false);
      const firstBatch = failed.sent;
      expect(firstBatch).toBeGreaterThan(0);
      expect(ws.outbox.summary().queueLength).toBe(10 - firstBatch);
      expect(ws.outbox.summary().lastError).toBeTruthy();
      expect(ws.outbox.items(ids).map((i) => i.state)).toEqual([
        ...Array<string>(firstBatch).fill('sent'),
        ...Array<string>(10 - firstBatch).fill('pending'),
      ]);
      const more = recordHeartRates(ws, patient.id, 2);
      const retried = await ws.worker.runOnce();
      expect(retried).toEqual({ sent: 12 - firstBatch, rejected: 0, ok: true });

      const counts = await serverCounts();
      for (const id of [...ids, ...more]) expect(counts.get(id)).toBe(1);
      expect(counts.size).toBe(12);
      expect(server.requests.faulted).toBe(1);
    },
  );

  it('401 mid-sync: the client renews its token (client_secret_post) and carries on', async () => {
    server.requireAuth([{ clientId: 'desk-1', clientSecret: 's3cret' }]);
    const ws = openWorkstation({
      baseUrl: server.baseUrl,
      auth: { kind: 'client-secret', tokenUrl: server.tokenUrl, clientId: 'desk-1', clientSecret: 's3cret' },
      batchSize: 2,
    });
    const patient = registerPatient(ws);
    const ids = recordHeartRates(ws, patient.id, 6);
    server.failNext(1, '401');
    expect(await ws.worker.runOnce()).toEqual({ sent: 6, rejected: 0, ok: true });
    const counts = await serverCounts();
    for (const id of ids) expect(counts.get(id)).toBe(1);
  });

  it('wrong credentials: nothing is sent, the error says so, and the queue is kept', async () => {
    server.requireAuth([{ clientId: 'desk-1', clientSecret: 's3cret' }]);
    const ws = openWorkstation({
      baseUrl: server.baseUrl,
      auth: { kind: 'client-secret', tokenUrl: server.tokenUrl, clientId: 'desk-1', clientSecret: 'wrong' },
    });
    const patient = registerPatient(ws);
    recordHeartRates(ws, patient.id, 2);
    expect((await ws.worker.runOnce()).ok).toBe(false);
    expect(ws.outbox.summary()).toMatchObject({
      queueLength: 2,
      lastError: 'The FHIR server refused this workstation’s sync credentials; ask IT to check them.',
    });
    expect(await serverCounts()).toEqual(new Map());
  });

  it('private_key_jwt (SMART backend services) authenticates with a signed assertion', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    server.requireAuth([{ clientId: 'desk-2', publicKey }]);
    const ws = openWorkstation({
      baseUrl: server.baseUrl,
      auth: {
        kind: 'private-key-jwt',
        tokenUrl: server.tokenUrl,
        clientId: 'desk-2',
        algorithm: 'ES384',
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    const patient = registerPatient(ws);
    const [id] = recordHeartRates(ws, patient.id, 1);
    expect(await ws.worker.runOnce()).toMatchObject({ sent: 1, ok: true });
    expect((await serverCounts()).get(id!)).toBe(1);
  });

  it('an amendment arrives as a new version of the same Observation; a pending older version is not sent', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws);
    const [sentFirst, amendedTwice] = recordHeartRates(ws, patient.id, 2);
    // Corrected before it was ever sent: only the latest version goes.
    const v2 = ws.observations.amendObservation(
      amendedTwice!,
      { value: 88 },
      'Counted for 15 s, not 30 s',
      NURSE,
    );
    expect(ws.outbox.items([amendedTwice!, v2.id]).map((i) => i.state)).toEqual(['superseded', 'pending']);
    expect(await ws.worker.runOnce()).toMatchObject({ sent: 2, ok: true });

    const [before] = await server.search<Observation>('Observation', bySeries(sentFirst!));
    expect(before).toMatchObject({ status: 'final', valueQuantity: { value: 60 } });
    const amended = ws.observations.amendObservation(sentFirst!, { value: 64 }, 'Typing error', NURSE);
    expect(ws.outbox.summary().queueLength).toBe(1);
    expect(await ws.worker.runOnce()).toMatchObject({ sent: 1, ok: true });
    const after = await server.search<Observation>('Observation', bySeries(sentFirst!));
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before?.id, status: 'amended', valueQuantity: { value: 64 } });
    expect(after[0]?.meta?.versionId).not.toBe(before?.meta?.versionId);
    expect(after[0]?.identifier?.[1]?.value).toBe(`${sentFirst}:v2`);
    expect(ws.outbox.items([amended.id])[0]?.state).toBe('sent');

    const withdrawn = ws.observations.markEnteredInError(amended.id, 'Wrong patient', NURSE);
    await ws.worker.runOnce();
    expect(ws.outbox.items([withdrawn.id])[0]?.state).toBe('sent');
    const final = await server.search<Observation>('Observation', bySeries(sentFirst!));
    expect(final.map((o) => [o.status, o.identifier?.[1]?.value])).toEqual([
      ['entered-in-error', `${sentFirst}:v3`],
    ]);

    const v2Series = await server.search<Observation>('Observation', bySeries(amendedTwice!));
    expect(v2Series.map((o) => [o.status, o.valueQuantity?.value])).toEqual([['amended', 88]]);
  });

  it('a second workstation with its own database pulls the patient’s observations', async () => {
    const desk1 = openWorkstation({ baseUrl: server.baseUrl });
    const p1 = registerPatient(desk1, 'T-7777');
    desk1.observations.recordObservation(
      {
        patientId: p1.id,
        kind: 'bloodPressure',
        components: [
          { kind: 'systolic', value: 142 },
          { kind: 'diastolic', value: 91 },
        ],
        effectiveAt: new Date(Date.now() - 60_000).toISOString(),
        method: 'manual',
      },
      NURSE,
    );
    recordHeartRates(desk1, p1.id, 2);
    await desk1.worker.runOnce();

    const desk2 = openWorkstation({ baseUrl: server.baseUrl });
    const p2 = registerPatient(desk2, 'T-7777');
    const pulled = await desk2.worker.pullPatient(p2.id);
    expect(pulled.skipped).toBe(0);
    expect(pulled.observations).toHaveLength(3);
    const bp = pulled.observations.find((o) => o.values.some((v) => v.kind === 'systolic'));
    expect(bp?.values).toEqual([
      { kind: 'systolic', value: 142 },
      { kind: 'diastolic', value: 91 },
    ]);
    // Cached in the second workstation's database for the review screen.
    expect(desk2.outbox.remoteObservations(p2.id)).toEqual(pulled.observations);
    // Its own outbox is untouched: pulled observations are not re-sent.
    expect(desk2.outbox.summary().queueLength).toBe(0);

    // A patient the server does not know: nothing, not an error.
    const stranger = registerPatient(desk2, 'T-0404');
    expect(await desk2.worker.pullPatient(stranger.id)).toEqual({ observations: [], skipped: 0 });

    // Server down: the earlier pull is shown, marked as cached; with nothing cached, a clear refusal.
    server.failNext(2, '500');
    expect(await desk2.worker.pullPatient(p2.id)).toEqual({
      observations: pulled.observations,
      skipped: 0,
      fromCache: true,
    });
    await expect(desk2.worker.pullPatient(stranger.id)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'The FHIR server is having trouble; sync will try again.',
    });
  });

  it('a visit that ends after its observations went is updated on the server, once, retried after an error', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws);
    const visit = ws.encounters.startEncounter({ patientId: patient.id }, NURSE);
    recordHeartRates(ws, patient.id, 1, visit.id);
    expect(await ws.worker.runOnce()).toMatchObject({ sent: 1, ok: true });
    const byVisit = `identifier=${identifierToken('urn:vitals-desk:encounter', visit.id)}`;
    expect((await server.search<Encounter>('Encounter', byVisit)).map((e) => e.status)).toEqual([
      'in-progress',
    ]);

    const finished = ws.encounters.finishEncounter(visit.id, NURSE);
    server.failNext(1, '500');
    expect(await ws.worker.runOnce()).toMatchObject({ sent: 0, ok: false });
    expect(ws.outbox.summary().lastError).toBe('The FHIR server is having trouble; sync will try again.');
    expect(await ws.worker.runOnce()).toMatchObject({ ok: true });
    const after = await server.search<Encounter>('Encounter', byVisit);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: 'finished', period: { end: finished.end } });

    const transactions = server.requests.transactions;
    expect(await ws.worker.runOnce()).toEqual({ sent: 0, rejected: 0, ok: true });
    expect(server.requests.transactions).toBe(transactions);
  });

  it('logs no patient data while failing, rejecting or succeeding', async () => {
    const logger = memoryLogger();
    const ws = openWorkstation({ baseUrl: server.baseUrl, logger });
    const patient = registerPatient(ws, 'MRN-SECRET-42');
    recordHeartRates(ws, patient.id, 3);
    server.failNext(1, '500');
    await ws.worker.runOnce();
    await ws.worker.runOnce();
    const text = JSON.stringify(logger.records);
    expect(logger.records.length).toBeGreaterThan(0);
    for (const phi of ['MRN-SECRET-42', 'Sample', 'Jordan', '1961-07-14', patient.id])
      expect(text).not.toContain(phi);
    const status = JSON.stringify(ws.outbox.summary());
    for (const phi of ['MRN-SECRET-42', 'Sample', 'Jordan']) expect(status).not.toContain(phi);
  });

  it('the worker loop backs off while offline and delivers once the server is back', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws);
    const ids = recordHeartRates(ws, patient.id, 3);
    server.failNext(3, '500');
    ws.worker.start();
    await expect.poll(() => ws.outbox.summary().queueLength, { timeout: 15_000, interval: 20 }).toBe(0);
    expect(server.requests.faulted).toBe(3);
    const counts = await serverCounts();
    for (const id of ids) expect(counts.get(id)).toBe(1);
    await ws.worker.stop();
  });
});
