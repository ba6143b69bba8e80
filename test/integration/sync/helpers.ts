/**
 * A workstation's sync stack on a real encrypted database file: repositories, outbox, FHIR client and
 * worker, against the loopback FHIR test server. People and values are invented.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { AuditEntry } from '../../../main/audit/chain';
import { openDatabase, type Database } from '../../../main/db/connection';
import { encounterRepository } from '../../../main/db/repositories/encounters';
import { observationRepository } from '../../../main/db/repositories/observations';
import { patientRepository } from '../../../main/db/repositories/patients';
import { createFhirClient, type FhirAuth } from '../../../main/sync/fhir-client';
import { createOutbox } from '../../../main/sync/outbox';
import { createSyncWorker, type SyncWorker, type SyncWorkerOptions } from '../../../main/sync/worker';
import { systemClock } from '../../../main/platform/clock';
import { silentLogger, type Logger } from '../../../main/logging/logger';
import type { Patient } from '../../../shared/records';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

export interface Workstation {
  db: Database;
  file: string;
  key: Buffer;
  patients: ReturnType<typeof patientRepository>;
  encounters: ReturnType<typeof encounterRepository>;
  observations: ReturnType<typeof observationRepository>;
  outbox: ReturnType<typeof createOutbox>;
  worker: SyncWorker;
  close(): Promise<void>;
}

export interface WorkstationOptions {
  baseUrl: string;
  auth?: FhirAuth;
  timeoutMs?: number;
  batchSize?: number;
  maxTransactionEntries?: number;
  /** The clinic's identifier systems, as the policy would set them. */
  systems?: { mrnSystem?: string; observationSystem?: string; encounterSystem?: string };
  /** Reopen an existing file. */
  file?: string;
  key?: Buffer;
  logger?: Logger;
}

export function openWorkstation(options: WorkstationOptions): Workstation {
  let file = options.file;
  if (!file) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vd-sync-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    file = path.join(dir, 'vitals.db');
  }
  const key = options.key ?? randomBytes(32);
  const db = openDatabase({ file, key });
  const outbox = createOutbox(db, systemClock);
  const worker = createSyncWorker({
    outbox,
    client: createFhirClient({
      baseUrl: options.baseUrl,
      auth: options.auth ?? { kind: 'none' },
      timeoutMs: options.timeoutMs ?? 5_000,
    }),
    logger: options.logger ?? silentLogger,
    batchSize: options.batchSize ?? 20,
    // The policy's default (100): the worker learns Medplum's limit (8 conditional entries) by itself.
    ...(options.maxTransactionEntries ? { maxTransactionEntries: options.maxTransactionEntries } : {}),
    ...(options.systems ? { systems: options.systems } : {}),
    backoff: { initialMs: 10, maxMs: 50 },
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await worker.stop();
    db.close();
  };
  cleanup.push(() => void close());
  return {
    db,
    file,
    key,
    patients: patientRepository(db),
    encounters: encounterRepository(db),
    observations: observationRepository(db),
    outbox,
    worker,
    close,
  };
}

export const NURSE = 'nurse-user-1';

/** An audit record of the nurse signing in: what fills an audit trail to send. */
export const nurseSignIn = (): AuditEntry => ({
  at: new Date().toISOString(),
  actorUserId: NURSE,
  actorRole: 'nurse',
  workstation: 'Ward 5 desk',
  action: 'auth.signIn',
  resourceType: null,
  resourceId: null,
  patientId: null,
  outcome: 'success',
  detail: null,
});

export function registerPatient(ws: Workstation, mrn = 'T-0001'): Patient {
  return ws.patients.registerPatient({
    mrn,
    family: 'Sample',
    given: 'Jordan',
    birthDate: '1961-07-14',
    sex: 'other',
  });
}

/** Records `count` heart rates (60, 61, ...) for the patient, a minute apart, ending now. */
export function recordHeartRates(
  ws: Workstation,
  patientId: string,
  count: number,
  encounterId?: string,
): string[] {
  const ids: string[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i += 1) {
    ids.push(
      ws.observations.recordObservation(
        {
          patientId,
          ...(encounterId ? { encounterId } : {}),
          kind: 'heartRate',
          value: 60 + (i % 100),
          effectiveAt: new Date(now - (count - i) * 60_000).toISOString(),
          method: 'manual',
        },
        NURSE,
      ).id,
    );
  }
  return ids;
}

/**
 * Another sync worker over a workstation's outbox (the workstation's own worker is left alone), for a
 * server without sign-in, logging nothing unless given a logger.
 */
export function workerOver(
  ws: Pick<Workstation, 'outbox'>,
  baseUrl: string,
  options: Partial<SyncWorkerOptions> & { timeoutMs?: number } = {},
): SyncWorker {
  const { timeoutMs = 5_000, ...rest } = options;
  return createSyncWorker({
    outbox: ws.outbox,
    client: createFhirClient({ baseUrl, auth: { kind: 'none' }, timeoutMs }),
    logger: silentLogger,
    ...rest,
  });
}

/** A loopback URL where nothing listens: the server is "offline". */
export const OFFLINE_URL = 'http://127.0.0.1:9/fhir/R4';
