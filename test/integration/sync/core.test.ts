/**
 * Sync through the core and its IPC channels: roles, "not configured", the TLS rule, the queue across a
 * restart of the core, and a second core with its own database pulling the patient.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { memoryKeyProvider, type DbKeyProvider } from '../../../main/db/keys';
import type { SyncConfig } from '../../../main/sync/service';
import type { PolicyLoad } from '../../../main/policy/load';
import type { SyncStatus } from '../../../shared/ipc/channels/sync';
import type { Observation, Patient } from '../../../shared/records';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';

let server: FhirTestServer;
const dirs: string[] = [];
const cores: Core[] = [];
beforeEach(async () => {
  server = await startFhirServer();
});
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  await server.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startCore(
  options: { fhir?: SyncConfig; dataDir?: string; keys?: DbKeyProvider; policy?: PolicyLoad } = {},
) {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'vd-sync-core-'));
  if (!options.dataDir) dirs.push(dataDir);
  const keys = options.keys ?? memoryKeyProvider();
  const { core } = await createTestCore({
    dataDir,
    dbKeyProvider: keys,
    ...(options.fhir ? { fhir: options.fhir } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  cores.push(core);
  return { core, dataDir, keys };
}

const fhirConfig = (): SyncConfig => ({
  baseUrl: server.baseUrl,
  auth: { kind: 'none' },
  maxTransactionEntries: 8,
  autoStart: false,
});

async function recordPulse(
  core: Core,
  senderId: string,
  patientId: string,
  value: number,
): Promise<Observation> {
  return call<Observation>(core, senderId, 'observations.record', {
    patientId,
    kind: 'heartRate',
    value,
    effectiveAt: new Date().toISOString(),
    method: 'manual',
  });
}

describe('sync through the core', () => {
  it('without a FHIR server: observations queue, health says not configured, sending is refused clearly', async () => {
    const { core } = await startCore();
    const nurse = await signInAs(core, 'nurse');
    const patient = await call<Patient>(core, nurse.senderId, 'patients.register', {
      mrn: 'C-1',
      family: 'Example',
      given: 'Robin',
      birthDate: '1980-01-01',
      sex: 'unknown',
    });
    const obs = await recordPulse(core, nurse.senderId, patient.id, 70);
    expect(core.health().services).toContainEqual({
      name: 'sync',
      status: 'unavailable',
      detail: 'not configured',
    });
    const status = await call<SyncStatus>(core, nurse.senderId, 'sync.status', { observationIds: [obs.id] });
    expect(status).toMatchObject({ configured: false, queueLength: 1, observations: [{ state: 'pending' }] });
    const refused = await core.invoke('sync.now', {}, { senderId: nurse.senderId });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'UNAVAILABLE',
        message: 'Sync is not set up at this workstation; ask IT to configure the FHIR server.',
      },
    });
  });

  it('takes the FHIR server and credentials from IT’s policy when the core is given none', async () => {
    const { core } = await startCore({
      policy: {
        file: 'policy.json',
        status: 'applied',
        policy: {
          fhir: {
            // Nothing listens on port 1: the worker tries, fails and backs off.
            baseUrl: 'https://127.0.0.1:1/fhir/R4',
            auth: {
              type: 'client-credentials',
              tokenUrl: 'https://127.0.0.1:1/token',
              clientId: 'desk',
              clientSecret: 's',
            },
          },
        },
        lockedFields: ['fhir.baseUrl', 'fhir.auth'],
        problems: [],
      },
    });
    const admin = await signInAs(core, 'admin');
    const status = await call<SyncStatus>(core, admin.senderId, 'sync.status', {});
    expect(status.configured).toBe(true);
  });

  it('refuses plain http to another computer, saying why', async () => {
    const { core } = await startCore({
      fhir: { baseUrl: 'http://fhir.example.org/R4', auth: { kind: 'none' }, autoStart: false },
    });
    const service = core.health().services.find((s) => s.name === 'sync');
    expect(service).toMatchObject({ status: 'error', detail: expect.stringContaining('https://') });
    const admin = await signInAs(core, 'admin');
    const status = await call<SyncStatus>(core, admin.senderId, 'sync.status', {});
    expect(status.configured).toBe(false);
    expect(status.lastError).toContain('https://');
  });

  it('retries over IPC after a server error, keeps the queue across a restart; a second core pulls the patient', async () => {
    const first = await startCore({ fhir: fhirConfig() });
    const nurse = await signInAs(first.core, 'nurse');
    const patient = await call<Patient>(first.core, nurse.senderId, 'patients.register', {
      mrn: 'C-2',
      family: 'Example',
      given: 'Sam',
      birthDate: '1975-05-05',
      sex: 'male',
    });
    const a = await recordPulse(first.core, nurse.senderId, patient.id, 71);
    const b = await recordPulse(first.core, nurse.senderId, patient.id, 72);
    server.failNext(1, '500');
    expect(await call(first.core, nurse.senderId, 'sync.now', {})).toEqual({
      sent: 0,
      rejected: 0,
      ok: false,
    });
    const failed = await call<SyncStatus>(first.core, nurse.senderId, 'sync.status', {
      observationIds: [a.id],
    });
    expect(failed).toMatchObject({
      configured: true,
      queueLength: 2,
      lastError: 'The FHIR server is having trouble; sync will try again.',
      observations: [{ state: 'pending', attempts: 1 }],
    });
    expect(first.core.health().services).toContainEqual(
      expect.objectContaining({ name: 'sync', status: 'error' }),
    );
    await first.core.close();

    // Restart on the same encrypted file: the queue and the failed attempt are still there, and go out.
    // This time the background worker runs (as in the app) and is not driven by hand.
    const second = await startCore({
      fhir: { ...fhirConfig(), autoStart: true },
      dataDir: first.dataDir,
      keys: first.keys,
    });
    // Keyed by observation: a fast machine may record the two within the same millisecond,
    // so their queue times may be equal and say nothing about order.
    const states = (): unknown =>
      Object.fromEntries(
        (
          second.core.db?.prepare('SELECT observation_id, state, attempts FROM sync_outbox').all() as {
            observation_id: string;
            state: string;
            attempts: number;
          }[]
        ).map(({ observation_id, ...row }) => [observation_id, row]),
      );
    await expect.poll(states, { timeout: 10_000, interval: 50 }).toEqual({
      [a.id]: { state: 'sent', attempts: 1 },
      [b.id]: { state: 'sent', attempts: 1 },
    });
    expect(second.core.health().services).toContainEqual({ name: 'sync', status: 'ok' });
    const onServer = await server.search('Observation', '_count=100');
    expect(onServer).toHaveLength(2);

    const other = await startCore({ fhir: fhirConfig() });
    const clinician = await signInAs(other.core, 'clinician');
    const same = await call<Patient>(other.core, clinician.senderId, 'patients.register', {
      mrn: 'C-2',
      family: 'Example',
      given: 'Sam',
      birthDate: '1975-05-05',
      sex: 'male',
    });
    const pulled = await call<{ observations: { values: { value: number }[] }[]; skipped: number }>(
      other.core,
      clinician.senderId,
      'sync.pullPatient',
      { patientId: same.id },
    );
    expect(pulled.skipped).toBe(0);
    expect(pulled.observations.map((o) => o.values[0]?.value).sort()).toEqual([71, 72]);

    // An admin sees sync status but may not read a patient's observations.
    const admin = await signInAs(other.core, 'admin');
    const forbidden = await other.core.invoke(
      'sync.pullPatient',
      { patientId: same.id },
      { senderId: admin.senderId },
    );
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
