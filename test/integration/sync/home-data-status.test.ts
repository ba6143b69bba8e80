/**
 * The sync status the header shows counts the patients' home values apart from the clinic's: waiting
 * before a pass, sent after it, and refused for good when the server will not take them. The server is
 * Medplum's router on loopback behind a stub that refuses home values while the test says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { importHomeFile } from '../../../main/import/service';
import { createEventBus } from '../../../main/ipc/event-bus';
import { silentLogger } from '../../../main/logging/logger';
import { systemClock } from '../../../main/platform/clock';
import { HOME_REFUSED_MESSAGE } from '../../../main/sync/home-sync';
import { createSyncService, type SyncService } from '../../../main/sync/service';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { sendFhirJson, startHostileServer, type HostileServer } from '../../support/hostile-fhir';
import { tempDir } from '../db/helpers';
import { clarityWindow } from '../home-data/helpers';
import { NURSE, openWorkstation, recordHeartRates, registerPatient } from './helpers';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

describe('sync status with home data', () => {
  it('counts home values waiting, sent and refused apart from the clinic values', async () => {
    const fhir: FhirTestServer = await startFhirServer();
    open.push(fhir);
    let refuseHome = false;
    const stub: HostileServer = await startHostileServer((request, res) => {
      if (refuseHome && request.body.includes('patient-generated')) {
        sendFhirJson(res, 422, {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'invalid', diagnostics: 'not accepted here' }],
        });
        return;
      }
      return 'forward';
    }, fhir.baseUrl);
    open.push(stub);
    const ws = openWorkstation({ baseUrl: stub.baseUrl });
    const events = createEventBus();
    const changes: unknown[] = [];
    events.subscribe((name, payload) => name === 'sync.changed' && changes.push(payload));
    const sync: SyncService = createSyncService({
      requireDb: () => ws.db,
      database: ws.db,
      config: {
        baseUrl: stub.baseUrl,
        auth: { kind: 'none' },
        autoStart: false,
        backoff: { initialMs: 10, maxMs: 50 },
      },
      events,
      clock: systemClock,
      logger: silentLogger,
    });
    open.push(sync);

    const patient = registerPatient(ws);
    recordHeartRates(ws, patient.id, 2);
    const dir = tempDir('vd-home-status-');
    expect(sync.status([]).homeData).toEqual({ waiting: 0, sent: 0, rejected: 0 });

    // The morning's import: 30 home values wait beside the clinic's 2.
    await importHomeFile({
      db: ws.db,
      patientId: patient.id,
      path: clarityWindow(dir, 'a.csv', 0, 30),
      importedBy: NURSE,
    });
    sync.homeDataStored();
    expect(changes.length).toBeGreaterThan(0);
    const before = sync.status([]);
    expect(before.queueLength).toBe(2);
    expect(before.homeData).toEqual({ waiting: 30, sent: 0, rejected: 0 });

    expect(await sync.runNow()).toMatchObject({ ok: true });
    const after = sync.status([]);
    expect(after.queueLength).toBe(0);
    expect(after.homeData).toEqual({ waiting: 0, sent: 30, rejected: 0 });

    // A later export of 12 more: the server now refuses home data for good; they stay here, counted.
    refuseHome = true;
    await importHomeFile({
      db: ws.db,
      patientId: patient.id,
      path: clarityWindow(dir, 'b.csv', 0, 42),
      importedBy: NURSE,
    });
    expect(sync.status([]).homeData).toEqual({ waiting: 12, sent: 30, rejected: 0 });
    await sync.runNow();
    const refused = sync.status([]);
    expect(refused.homeData).toEqual({ waiting: 0, sent: 30, rejected: 12 });
    expect(refused.lastError).toBe(HOME_REFUSED_MESSAGE);
    // The clinic's own refusals count stays the clinic's.
    expect(refused.rejected).toBe(0);
  });
});
