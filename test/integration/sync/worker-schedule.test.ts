/**
 * When the sync worker tries again, with the shipped defaults: 1–2 s after a first failure, doubling
 * with each further failure, and a look every 10 s while all is well; new data is sent at once unless
 * the worker is backing off. Against the loopback FHIR test server and a port where nothing listens.
 * The schedule is read from the worker's own state (when it will next try), not timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncWorker } from '../../../main/sync/worker';
import { memoryLogger } from '../../../main/logging/logger';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import {
  OFFLINE_URL,
  openWorkstation,
  recordHeartRates,
  registerPatient,
  workerOver,
  type Workstation,
} from './helpers';

// One server for the file: each test has its own database, and only reads its own queue.
let server: FhirTestServer;
beforeAll(async () => {
  server = await startFhirServer();
});
afterAll(async () => {
  await server.close();
});

function workerFor(ws: Workstation, baseUrl: string, random: () => number, onPass?: () => void) {
  const logger = memoryLogger();
  const worker = workerOver(ws, baseUrl, { logger, random, ...(onPass ? { onPass } : {}) });
  return { worker, logger };
}

/** Milliseconds from now until the worker's next attempt. */
function untilNext(worker: SyncWorker): number {
  const next = worker.state().nextAttemptAt;
  if (next === null) throw new Error('no attempt scheduled');
  return Date.parse(next) - Date.now();
}

async function passes(worker: SyncWorker, count: () => number, n: number): Promise<void> {
  await expect.poll(count, { timeout: 10_000, interval: 10 }).toBeGreaterThanOrEqual(n);
  await expect.poll(() => worker.state().running, { timeout: 10_000, interval: 10 }).toBe(false);
}

describe('sync worker schedule (shipped defaults)', () => {
  it('after a first failure waits between 1 and 2 s (half fixed, half jitter), and counts the failure', async () => {
    const ws = openWorkstation({ baseUrl: OFFLINE_URL });
    recordHeartRates(ws, registerPatient(ws).id, 2);
    for (const [random, low, high] of [
      [0, 700, 1_000],
      [1, 1_700, 2_000],
    ] as const) {
      let count = 0;
      const { worker } = workerFor(
        ws,
        OFFLINE_URL,
        () => random,
        () => (count += 1),
      );
      expect(worker.state()).toEqual({ consecutiveFailures: 0, nextAttemptAt: null, running: false });
      worker.start();
      await passes(worker, () => count, 1);
      expect(worker.state().consecutiveFailures).toBe(1);
      const wait = untilNext(worker);
      expect(wait).toBeGreaterThan(low);
      expect(wait).toBeLessThanOrEqual(high);
      // Backing off: new data does not cut the wait short.
      worker.kick();
      expect(untilNext(worker)).toBeGreaterThan(low - 100);
      await worker.stop();
      expect(worker.state().nextAttemptAt).toBeNull();
    }
    await ws.close();
  });

  it('looks again every 10 s after a good pass, and sends new data at once when kicked', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws);
    recordHeartRates(ws, patient.id, 2);
    let count = 0;
    const { worker } = workerFor(
      ws,
      server.baseUrl,
      () => 0.5,
      () => (count += 1),
    );
    // Not started: kicking does nothing.
    worker.kick();
    expect(worker.state().nextAttemptAt).toBeNull();
    worker.start();
    // Starting twice schedules once.
    worker.start();
    await passes(worker, () => count, 1);
    expect(ws.outbox.summary().queueLength).toBe(0);
    expect(worker.state().consecutiveFailures).toBe(0);
    const wait = untilNext(worker);
    expect(wait).toBeGreaterThan(9_000);
    expect(wait).toBeLessThanOrEqual(10_000);

    recordHeartRates(ws, patient.id, 1);
    worker.kick();
    expect(untilNext(worker)).toBeLessThanOrEqual(0);
    await passes(worker, () => count, 2);
    expect(ws.outbox.summary().queueLength).toBe(0);
    expect(count).toBe(2);
    await worker.stop();
    expect(worker.state()).toEqual({ consecutiveFailures: 0, nextAttemptAt: null, running: false });
    // Stopped: kicking does nothing.
    worker.kick();
    expect(worker.state().nextAttemptAt).toBeNull();
    await ws.close();
  });

  it('one pass at a time: a second call while one runs shares it', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    recordHeartRates(ws, registerPatient(ws).id, 3);
    let count = 0;
    const { worker } = workerFor(
      ws,
      server.baseUrl,
      () => 0,
      () => (count += 1),
    );
    const first = worker.runOnce();
    expect(worker.state().running).toBe(true);
    const second = worker.runOnce();
    expect(second).toBe(first);
    expect(await first).toMatchObject({ ok: true, sent: 3 });
    expect(count).toBe(1);
    expect(worker.state().running).toBe(false);
    await ws.close();
  });
});
