/**
 * Home data and the audit trail recover from a server outage on their own, without a clinic value to
 * carry them: against the loopback FHIR test server, whose fault switch plays the outage. No clinic
 * value is recorded in these shifts. People and values are invented.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuditStore, type AuditStore } from '../../../main/audit/audit-store';
import { importHomeFile } from '../../../main/import/service';
import { silentLogger } from '../../../main/logging/logger';
import { createFhirClient } from '../../../main/sync/fhir-client';
import { homeSyncSource } from '../../../main/sync/home-sync';
import { createSyncWorker, type SyncWorker } from '../../../main/sync/worker';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { tempDir } from '../db/helpers';
import { clarityWindow } from '../home-data/helpers';
import { NURSE, nurseSignIn, openWorkstation, registerPatient, type Workstation } from './helpers';

let server: FhirTestServer;
beforeAll(async () => {
  server = await startFhirServer();
});
afterAll(async () => {
  await server.close();
});

/** Kept before the worker's timers are faked: the loopback server's answers take real time. */
const realSetTimeout = globalThis.setTimeout;
// The worker's retries and looks are timers on a fake clock this file moves (see idleAfter), so a slow
// machine cannot let a 200 ms retry run before the test has looked at the failure it follows.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function signIns(trail: AuditStore, n: number): void {
  for (let i = 0; i < n; i += 1) trail.append(nurseSignIn());
}

/**
 * A started worker with home data and the audit trail: it retries 100–200 ms after a failure and,
 * once all is well, looks again only after a minute, so anything sent sooner was sent because of a
 * kick. Those times pass on the fake clock, only when idleAfter moves it.
 */
function shift(ws: Workstation) {
  const home = homeSyncSource(ws.db);
  const trail = createAuditStore(ws.db, { key: randomBytes(32), mayStart: true });
  let passes = 0;
  const worker: SyncWorker = createSyncWorker({
    outbox: ws.outbox,
    client: createFhirClient({ baseUrl: server.baseUrl, auth: { kind: 'none' }, timeoutMs: 5_000 }),
    logger: silentLogger,
    homeData: home,
    auditTrail: () => trail,
    backoff: { initialMs: 200, maxMs: 200 },
    pollMs: 60_000,
    random: () => 0.5,
    onPass: () => (passes += 1),
  });
  /**
   * Lets pass `n` come, the way the worker would run it next: a start or a kick (due now), else the
   * retry after a failure (due within 200 ms); never the look a minute later. Then waits, on the real
   * clock, until it is over, with the fake clock still, so nothing else can start meanwhile.
   */
  const idleAfter = async (n: number) => {
    await vi.advanceTimersByTimeAsync(0);
    if (passes < n && !worker.state().running) await vi.advanceTimersByTimeAsync(200);
    for (let waited = 0; passes < n || worker.state().running; waited += 10) {
      if (waited > 10_000) throw new Error(`timed out waiting for pass ${n}`);
      await new Promise((resolve) => realSetTimeout(resolve, 10));
    }
    expect(passes).toBe(n);
  };
  const importWindow = async (patientId: string, from: number, to: number) => {
    const file = clarityWindow(tempDir('vd-recovery-'), `clarity-${from}.csv`, from, to);
    await importHomeFile({ db: ws.db, patientId, path: file, importedBy: NURSE });
  };
  const auditWaiting = () => (trail.head()?.seq ?? 0) - ws.outbox.auditSentSeq();
  return { home, trail, worker, passes: () => passes, idleAfter, importWindow, auditWaiting };
}

describe('home data and the audit trail after an outage, with no clinic value', () => {
  it('the home import fails while the server is down; once it is back, the next import is sent as soon as it is kicked', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const s = shift(ws);
    const patient = registerPatient(ws, 'RC-0001');
    await s.importWindow(patient.id, 0, 4);
    signIns(s.trail, 3);

    // The server is down for the first request: home data fails and the audit trail waits behind it.
    server.failNext(1, '500');
    s.worker.start();
    await s.idleAfter(1);
    expect(s.worker.state().consecutiveFailures).toBe(1);
    expect(s.home.waiting()).toBe(4);
    expect(s.auditWaiting()).toBe(3);

    // The server is back: the retry after the back-off sends both, and the worker is no longer failing.
    await s.idleAfter(2);
    expect(s.home.waiting()).toBe(0);
    expect(s.auditWaiting()).toBe(0);
    expect(s.worker.state().consecutiveFailures).toBe(0);

    // The nurse imports another file and the trail grows: the kick sends them now, not in a minute.
    await s.importWindow(patient.id, 10, 13);
    signIns(s.trail, 2);
    expect(s.home.waiting()).toBe(3);
    s.worker.kick();
    await s.idleAfter(3);
    expect(s.home.waiting()).toBe(0);
    expect(s.auditWaiting()).toBe(0);
    expect(s.worker.state().consecutiveFailures).toBe(0);
    await s.worker.stop();
    await ws.close();
  });

  it('the audit trail alone fails, twice; once it is sent, a kick sends what comes next', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const s = shift(ws);
    const patient = registerPatient(ws, 'RC-0002');
    await s.importWindow(patient.id, 0, 2);
    s.worker.start();
    await s.idleAfter(1);
    expect(s.home.waiting()).toBe(0);

    // Home data went; now only the trail waits, and the server is down for its next two requests.
    signIns(s.trail, 2);
    server.failNext(2, '500');
    s.worker.kick();
    await s.idleAfter(2);
    expect(s.auditWaiting()).toBe(2);
    expect(s.worker.state().consecutiveFailures).toBe(1);
    await s.idleAfter(3);
    expect(s.worker.state().consecutiveFailures).toBe(2);
    // Back: the trail goes on the next retry, and the worker's failures are over with it.
    await s.idleAfter(4);
    expect(s.auditWaiting()).toBe(0);
    expect(s.worker.state().consecutiveFailures).toBe(0);

    signIns(s.trail, 1);
    s.worker.kick();
    await s.idleAfter(5);
    expect(s.auditWaiting()).toBe(0);
    await s.worker.stop();
    await ws.close();
  });
});
