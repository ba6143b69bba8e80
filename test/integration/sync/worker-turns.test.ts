/**
 * How the sync worker takes turns and recovers, against the loopback FHIR test server (one for the
 * file) and a port where nothing listens: the clinic's values, then home data, then the audit trail in
 * one pass; the first that cannot send ends the pass; a pass that throws is counted, logged by name and
 * retried after a backoff; stop() and a second start() or kick() leave one schedule, not two. The
 * schedule is read from the worker's own state; waits only let a timer that must not exist fire.
 * People and values are invented.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEvent, Observation, Patient } from '@medplum/fhirtypes';
import { createAuditStore, type AuditStore } from '../../../main/audit/audit-store';
import { openDatabase } from '../../../main/db/connection';
import { importHomeFile } from '../../../main/import/service';
import { memoryLogger } from '../../../main/logging/logger';
import { homeSyncSource } from '../../../main/sync/home-sync';
import type { SyncWorker, SyncWorkerOptions } from '../../../main/sync/worker';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { tempDir } from '../db/helpers';
import { clarityWindow } from '../home-data/helpers';
import {
  NURSE,
  nurseSignIn,
  OFFLINE_URL,
  openWorkstation,
  recordHeartRates,
  registerPatient,
  workerOver,
  type Workstation,
} from './helpers';

let server: FhirTestServer;
beforeAll(async () => {
  server = await startFhirServer();
});
afterAll(async () => {
  await server.close();
});

function trailOf(ws: Workstation, records: number): AuditStore {
  const trail = createAuditStore(ws.db, { key: randomBytes(32), mayStart: true });
  for (let i = 0; i < records; i += 1) trail.append(nurseSignIn());
  return trail;
}

function worker(
  ws: Workstation,
  extra: Partial<SyncWorkerOptions> & { baseUrl?: string; timeoutMs?: number } = {},
): SyncWorker {
  const { baseUrl = server.baseUrl, ...options } = extra;
  return workerOver(ws, baseUrl, options);
}

async function idle(w: SyncWorker, passes: () => number, n: number): Promise<void> {
  await expect.poll(passes, { timeout: 10_000, interval: 10 }).toBeGreaterThanOrEqual(n);
  await expect.poll(() => w.state().running, { timeout: 10_000, interval: 10 }).toBe(false);
}

/** A worker whose passes are counted through its own onPass hook. */
function countedWorker(ws: Workstation, extra: Parameters<typeof worker>[1] = {}) {
  let passes = 0;
  const w = worker(ws, { ...extra, onPass: () => (passes += 1) });
  return { w, passes: () => passes };
}

/**
 * One value waiting and a worker for a server that is not there (nothing listens on the port), started
 * and past its first, failed pass: it is backing off for backoffMs.
 */
async function offlineAfterFirstPass(backoffMs: number) {
  const ws = openWorkstation({ baseUrl: OFFLINE_URL });
  recordHeartRates(ws, registerPatient(ws).id, 1);
  const { w, passes } = countedWorker(ws, {
    baseUrl: OFFLINE_URL,
    random: () => 0,
    backoff: { initialMs: backoffMs, maxMs: backoffMs },
  });
  w.start();
  await idle(w, passes, 1);
  return { ws, w, passes };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kept before any test fakes the timers: a request to the loopback server takes real time. */
const realSetTimeout = globalThis.setTimeout;

/**
 * Runs `body` with the worker's timers (setTimeout, Date) on a fake clock only the test moves, so a
 * retry or a look is due when the test says and not when a slow machine happens to get there; the
 * loopback server and its sockets stay real.
 */
async function onFakeClock(body: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    await body();
  } finally {
    vi.useRealTimers();
  }
}

/** Waits, on the real clock and without moving the fake one, until `n` passes are done and none runs. */
async function idleOnFakeClock(w: SyncWorker, passes: () => number, n: number): Promise<void> {
  for (let waited = 0; passes() < n || w.state().running; waited += 10) {
    if (waited > 10_000) throw new Error(`timed out waiting for pass ${n}`);
    await new Promise((resolve) => realSetTimeout(resolve, 10));
  }
}

describe('senders take turns', () => {
  it('one pass sends the clinic’s values, then home data, then the audit trail, under the clinic’s identifier systems', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws, 'TT-0001');
    recordHeartRates(ws, patient.id, 2);
    const file = clarityWindow(tempDir('vd-turns-'), 'clarity.csv', 0, 6);
    await importHomeFile({ db: ws.db, patientId: patient.id, path: file, importedBy: NURSE });
    const home = homeSyncSource(ws.db);
    const trail = trailOf(ws, 3);
    const eventsBefore = (await server.search<AuditEvent>('AuditEvent', '_count=1000')).length;
    // No onPass: a worker without one runs its passes all the same.
    const w = worker(ws, {
      homeData: home,
      auditTrail: () => trail,
      mrnSystem: 'urn:clinic:turns:mrn',
      systems: { observationSystem: 'urn:clinic:turns:obs' },
    });
    expect(home.waiting()).toBe(6);

    expect(await w.runOnce()).toEqual({ sent: 2, rejected: 0, ok: true });
    expect(ws.outbox.summary().queueLength).toBe(0);
    expect(home.waiting()).toBe(0);
    expect(ws.outbox.auditSentSeq()).toBe(trail.head()?.seq);
    expect((await server.search<AuditEvent>('AuditEvent', '_count=1000')).length).toBe(eventsBefore + 3);

    // The clinic's MRN system names the patient; its measurement system names the clinic's values.
    const [onServer] = await server.search<Patient>('Patient', 'identifier=urn:clinic:turns:mrn|TT-0001');
    expect(onServer).toBeDefined();
    const clinic = await server.search<Observation>('Observation', `subject=Patient/${onServer!.id}`);
    const systems = clinic.flatMap((o) => o.identifier ?? []).map((i) => i.system);
    expect(systems.filter((s) => s === 'urn:clinic:turns:obs')).toHaveLength(2);

    // The worker reads a patient's values back from the server under the same systems.
    const pulled = await w.pullPatient(patient.id);
    expect(pulled.observations.filter((o) => o.values[0]?.kind === 'heartRate')).toHaveLength(2);
    await w.stop();
    await ws.close();
  });

  it('the first sender that cannot send ends the pass: the audit trail waits for home data', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws, 'TT-0002');
    const file = clarityWindow(tempDir('vd-turns-'), 'clarity.csv', 0, 4);
    await importHomeFile({ db: ws.db, patientId: patient.id, path: file, importedBy: NURSE });
    const home = homeSyncSource(ws.db);
    const trail = trailOf(ws, 2);
    const w = worker(ws, { homeData: home, auditTrail: () => trail });

    // No clinic values are waiting, so the first request is home data's: the server fails it.
    server.failNext(1, '500');
    expect(await w.runOnce()).toMatchObject({ ok: false });
    expect(w.state().consecutiveFailures).toBe(1);
    expect(home.waiting()).toBe(4);
    expect(ws.outbox.auditSentSeq()).toBe(0);

    // The server is back: both go, in turn.
    expect(await w.runOnce()).toMatchObject({ ok: true });
    expect(home.waiting()).toBe(0);
    expect(ws.outbox.auditSentSeq()).toBe(trail.head()?.seq);
    await ws.close();
  });
});

describe('a pass that throws', () => {
  it('is counted as a failure, logged by the error’s name only, and tried again after a backoff', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    // The audit trail's database fails under the worker (closed here, as a disk error would leave it).
    const broken = openDatabase({ file: path.join(tempDir('vd-turns-'), 'trail.db'), key: randomBytes(32) });
    const trail = createAuditStore(broken, { key: randomBytes(32), mayStart: true });
    broken.close();
    const logger = memoryLogger();
    const { w, passes } = countedWorker(ws, {
      logger,
      auditTrail: () => trail,
      random: () => 0,
      backoff: { initialMs: 60_000, maxMs: 120_000 },
    });
    w.start();
    await idle(w, passes, 1);
    await expect.poll(() => w.state().consecutiveFailures, { timeout: 15_000, interval: 10 }).toBe(1);
    expect(logger.records.filter((r) => r.event === 'sync.pass_failed')).toEqual([
      { level: 'error', event: 'sync.pass_failed', fields: { error: 'TypeError' } },
    ]);
    // Backing off (half of 60 s with no jitter), not looking again in 10 s as after a good pass.
    await expect.poll(() => w.state().nextAttemptAt, { timeout: 15_000, interval: 10 }).not.toBeNull();
    const wait = Date.parse(w.state().nextAttemptAt!) - Date.now();
    expect(wait).toBeGreaterThan(25_000);
    expect(wait).toBeLessThanOrEqual(30_000);
    await w.stop();
    await ws.close();
  });
});

describe('one schedule, whatever is called when', () => {
  it('a second start() while backing off keeps the backoff', async () => {
    const { ws, w } = await offlineAfterFirstPass(60_000);
    await expect.poll(() => w.state().nextAttemptAt, { timeout: 15_000, interval: 10 }).not.toBeNull();
    const next = w.state().nextAttemptAt;
    w.start();
    expect(w.state().nextAttemptAt).toBe(next);
    await w.stop();
    await ws.close();
  });

  it('stop() while backing off: the retry never comes', async () => {
    await onFakeClock(async () => {
      const ws = openWorkstation({ baseUrl: OFFLINE_URL });
      recordHeartRates(ws, registerPatient(ws).id, 1);
      const { w, passes } = countedWorker(ws, {
        baseUrl: OFFLINE_URL,
        random: () => 0,
        backoff: { initialMs: 40, maxMs: 40 },
      });
      w.start();
      await vi.advanceTimersByTimeAsync(0);
      await idleOnFakeClock(w, passes, 1);
      // The retry is armed, and stays so however long the first pass took on this machine.
      expect(w.state().nextAttemptAt).not.toBeNull();
      await w.stop();
      // Well past the retry's time: it never comes (it would start a pass at once, synchronously).
      await vi.advanceTimersByTimeAsync(1_000);
      expect(passes()).toBe(1);
      expect(w.state()).toMatchObject({ nextAttemptAt: null, running: false });
      await ws.close();
    });
  });

  it('stop() during a pass: the pass finishes, and nothing is scheduled after it', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    recordHeartRates(ws, registerPatient(ws, 'TT-0003').id, 1);
    // The server takes the request and never answers: the pass lasts until the client gives up.
    server.failNext(1, 'timeout');
    const { w, passes } = countedWorker(ws, { timeoutMs: 300, random: () => 0 });
    w.start();
    await expect.poll(() => w.state().running, { timeout: 15_000, interval: 5 }).toBe(true);
    await w.stop();
    expect(passes()).toBe(1);
    await pause(50);
    expect(w.state()).toEqual({ consecutiveFailures: 1, nextAttemptAt: null, running: false });
    await ws.close();
  });

  it('new data while idle is sent at once, and the idle look is not doubled', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws, 'TT-0004');
    await onFakeClock(async () => {
      const { w, passes } = countedWorker(ws, { pollMs: 400 });
      w.start();
      await vi.advanceTimersByTimeAsync(0);
      await idleOnFakeClock(w, passes, 1);
      // The idle look is due in 400 ms of the fake clock: however slow this machine, it has not come.
      expect(passes()).toBe(1);
      recordHeartRates(ws, patient.id, 1);
      w.kick();
      await vi.advanceTimersByTimeAsync(0);
      await idleOnFakeClock(w, passes, 2);
      expect(ws.outbox.summary().queueLength).toBe(0);
      // Stopped right after the kicked pass: the look that was due before the kick must be gone too.
      await w.stop();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(w.state().running).toBe(false);
      expect(passes()).toBe(2);
    });
    await ws.close();
  });
});
