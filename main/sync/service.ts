/**
 * Sync as the core sees it: built from the optional `fhir` config. Without one, observations still queue
 * (the outbox trigger always runs) and sync reports itself "not configured"; with one, the worker sends
 * in the background and is nudged whenever an observation is recorded.
 */
import { AppError } from '../../shared/ipc';
import type { SyncStatus } from '../../shared/ipc/channels/sync';
import type { Database } from '../db/connection';
import type { EventBus } from '../ipc/event-bus';
import type { Logger } from '../logging/logger';
import type { Clock } from '../platform/clock';
import { compareAuditWithServer, type AuditTrailSource, type ServerComparison } from './audit-sync';
import {
  createFhirClient,
  fhirServerConfigSchema,
  type FhirClient,
  type FhirServerConfig,
} from './fhir-client';
import { createOutbox, type Outbox } from './outbox';
import { homeSyncSource } from './home-sync';
import {
  createSyncWorker,
  type BackoffOptions,
  type PassResult,
  type PullResult,
  type SyncWorker,
} from './worker';

export interface SyncConfig extends FhirServerConfig {
  /** The clinic's identifier systems for measurements and visits (default Vitals Desk's own). */
  observationSystem?: string;
  encounterSystem?: string;
  batchSize?: number;
  maxTransactionEntries?: number;
  backoff?: BackoffOptions;
  pollMs?: number;
  /** Start the background worker (default true; tests drive passes by hand with false). */
  autoStart?: boolean;
}

export interface SyncService {
  status(observationIds: readonly string[]): SyncStatus;
  runNow(): Promise<PassResult>;
  pullPatient(patientId: string): Promise<PullResult>;
  /** This workstation's audit trail against the copy the FHIR server holds (see audit-sync.ts). */
  compareAuditWithServer(): Promise<ServerComparison>;
  health(): { name: string; status: 'ok' | 'unavailable' | 'error'; detail?: string };
  /** Home data was stored: the counts changed (say so) and there is something to send. */
  homeDataStored(): void;
  close(): Promise<void>;
}

export const SYNC_NOT_CONFIGURED =
  'Sync is not set up at this workstation; ask IT to configure the FHIR server.';

export function createSyncService(deps: {
  /** The open database, or throws the AppError that says why there is none. */
  requireDb: () => Database;
  database: Database | undefined;
  config: SyncConfig | undefined;
  /** Why the configured sync cannot run (e.g. the policy's key file is unreadable), for health and status. */
  configProblem?: string | undefined;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  /** The audit trail to send with the data (absent: the trail stays local). */
  auditTrail?: () => AuditTrailSource | undefined;
  /** This workstation's name, as its audit records carry it. */
  workstation?: () => string;
}): SyncService {
  const { logger } = deps;
  const outbox: Outbox | undefined = deps.database ? createOutbox(deps.database, deps.clock) : undefined;
  let configError: string | undefined = deps.configProblem;
  let worker: SyncWorker | undefined;
  let client: FhirClient | undefined;
  const homeData = deps.database ? homeSyncSource(deps.database) : undefined;
  const announce = () => {
    if (!outbox) return;
    const s = outbox.summary();
    deps.events.emit('sync.changed', {
      queueLength: s.queueLength,
      updatesWaiting: s.updatesWaiting,
      lastSuccessAt: s.lastSuccessAt,
      lastError: s.lastError,
    });
  };
  if (deps.config && outbox) {
    try {
      const {
        batchSize,
        maxTransactionEntries,
        backoff,
        pollMs,
        autoStart: _autoStart,
        observationSystem,
        encounterSystem,
        ...server
      } = deps.config;
      client = createFhirClient(fhirServerConfigSchema.parse(server), { clock: deps.clock });
      worker = createSyncWorker({
        outbox,
        client,
        logger,
        systems: { mrnSystem: server.mrnSystem, observationSystem, encounterSystem },
        batchSize,
        maxTransactionEntries,
        backoff,
        pollMs,
        auditTrail: deps.auditTrail,
        homeData,
        onPass: () => announce(),
      });
    } catch (error) {
      configError =
        error instanceof AppError
          ? error.message
          : 'The sync settings could not be read; ask IT to check them.';
      logger.error('sync.config_invalid');
    }
  }
  const unsubscribe = worker
    ? deps.events.subscribe((name) => {
        if (name !== 'observations.recorded' && name !== 'patients.corrected') return;
        // A trigger queued the change in the same transaction: the queue grew; say so, then send.
        announce();
        worker?.kick();
      })
    : undefined;
  if (worker && deps.config?.autoStart !== false) worker.start();

  const requireOutbox = (): Outbox => {
    deps.requireDb();
    if (!outbox) throw new AppError('UNAVAILABLE', 'The database is not open.');
    return outbox;
  };
  const requireWorker = (): SyncWorker => {
    requireOutbox();
    if (!worker) throw new AppError('UNAVAILABLE', configError ?? SYNC_NOT_CONFIGURED);
    return worker;
  };

  return {
    status(observationIds) {
      const box = requireOutbox();
      const summary = box.summary();
      return {
        configured: worker !== undefined,
        ...summary,
        lastError: summary.lastError ?? configError ?? null,
        nextAttemptAt: worker?.state().nextAttemptAt ?? null,
        homeData: homeData?.summary() ?? { waiting: 0, sent: 0, rejected: 0 },
        observations: box.items(observationIds),
      };
    },
    runNow: () => requireWorker().runOnce(),
    pullPatient: (patientId) => requireWorker().pullPatient(patientId),
    async compareAuditWithServer() {
      requireWorker();
      const trail = deps.auditTrail?.();
      if (!client || !trail || !deps.workstation)
        throw new AppError(
          'UNAVAILABLE',
          'The audit trail is not sent to a FHIR server at this workstation.',
        );
      return compareAuditWithServer({ trail, client, workstation: deps.workstation() });
    },
    health() {
      if (configError) return { name: 'sync', status: 'error', detail: configError };
      if (!worker) return { name: 'sync', status: 'unavailable', detail: 'not configured' };
      const failures = worker.state().consecutiveFailures;
      return failures > 0
        ? { name: 'sync', status: 'error', detail: outbox?.summary().lastError ?? 'Sync is retrying.' }
        : { name: 'sync', status: 'ok' };
    },
    homeDataStored() {
      announce();
      worker?.kick();
    },
    async close() {
      unsubscribe?.();
      await worker?.stop();
    },
  };
}
