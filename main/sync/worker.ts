/**
 * Store-and-forward sync: sends the outbox to the FHIR server in transaction bundles, oldest first.
 * - An entry is marked sent only when the transaction-response confirms its Observation entry; a lost
 *   answer leaves it pending, and the retry is harmless because every entry is conditional.
 * - While the server cannot be reached (or answers 5xx/429/401), attempts back off exponentially with
 *   jitter ("equal jitter": half the delay fixed, half random), so a clinic's workstations do not all
 *   retry in step.
 * - A batch the server refuses as invalid (4xx) is retried one entry at a time, so one bad entry is set
 *   aside as rejected without holding up the others.
 * This module schedules passes; plan.ts decides what to send next, send.ts sends it, answer.ts reads
 * the server's answer, pull.ts fetches a patient's observations.
 */
import type { Logger } from '../logging/logger';
import type { FhirClient } from './fhir-client';
import type { Outbox } from './outbox';
import type { PatientMappingOptions as IdentifierSystems } from '../../shared/fhir/patient';
import { createAuditSender, type AuditTrailSource } from './audit-sync';
import { createHomeSender, type HomeSyncSource } from './home-sync';
import { createPlanner } from './plan';
import { DEFAULT_MAX_ENTRIES_PER_TRANSACTION } from './policy-config';
import { pullPatient, type PullResult } from './pull';
import { createSender, type FailureCount, type PassResult } from './send';

export { confirmedEntries } from './answer';
export type { PassResult } from './send';
export type { PullResult } from './pull';

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export interface SyncWorkerOptions {
  readonly outbox: Outbox;
  readonly client: FhirClient;
  readonly logger: Logger;
  readonly mrnSystem?: string | undefined;
  /** The clinic's identifier systems (MRN, measurements, visits); `mrnSystem` above wins for the MRN. */
  readonly systems?: IdentifierSystems | undefined;
  /** Observations per transaction (default 50). */
  readonly batchSize?: number | undefined;
  /**
   * The most entries per transaction (default 100, the policy's `fhir.maxEntriesPerTransaction`). When the
   * server refuses a transaction as too large (Medplum allows 8 entries once any is conditional), the
   * size is halved, down to 1, and remembered for that server.
   */
  readonly maxTransactionEntries?: number | undefined;
  readonly backoff?: BackoffOptions | undefined;
  /** How often an idle worker looks for new entries, in ms (default 10 s). */
  readonly pollMs?: number | undefined;
  readonly random?: (() => number) | undefined;
  /** Home data (patient-generated values), sent after the clinic's; absent: not sent. */
  readonly homeData?: HomeSyncSource | undefined;
  /** The audit trail, sent to the server after everything else; absent: not sent. */
  readonly auditTrail?: (() => AuditTrailSource | undefined) | undefined;
  /** Called after every pass, e.g. to announce the new status. */
  readonly onPass?: (() => void) | undefined;
}

export interface SyncWorker {
  start(): void;
  stop(): Promise<void>;
  /** New data: send soon, unless the worker is backing off. */
  kick(): void;
  /** One pass: send until the queue is empty or an attempt fails. */
  runOnce(): Promise<PassResult>;
  state(): { consecutiveFailures: number; nextAttemptAt: string | null; running: boolean };
  pullPatient(patientId: string): Promise<PullResult>;
}

type Sender = { send(): Promise<{ ok: boolean; failure?: Error }> };

/** Senders run one after the other after the clinic's data; the first that cannot send ends the pass. */
function inTurn(...senders: (Sender | undefined)[]): Sender | undefined {
  const present = senders.filter((s): s is Sender => s !== undefined);
  if (present.length === 0) return undefined;
  return {
    async send() {
      for (const sender of present) {
        const out = await sender.send();
        if (!out.ok) return out;
      }
      return { ok: true };
    },
  };
}

/** Delay before attempt n+1 after n consecutive failures: min(max, initial·2ⁿ⁻¹), half of it jittered. */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number): number {
  const exp = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, failures - 1));
  return exp / 2 + random() * (exp / 2);
}

export function createSyncWorker(options: SyncWorkerOptions): SyncWorker {
  const { outbox, client, logger } = options;
  const batchSize = options.batchSize ?? 50;
  const maxEntries = options.maxTransactionEntries ?? DEFAULT_MAX_ENTRIES_PER_TRANSACTION;
  const systems: IdentifierSystems = {
    ...options.systems,
    ...(options.mrnSystem ? { mrnSystem: options.mrnSystem } : {}),
  };
  const backoff = options.backoff ?? { initialMs: 2_000, maxMs: 5 * 60_000 };
  const pollMs = options.pollMs ?? 10_000;
  const random = options.random ?? Math.random;
  const failures: FailureCount = { value: 0 };
  let timer: NodeJS.Timeout | undefined;
  let nextAttemptAt: number | null = null;
  let running: Promise<PassResult> | undefined;
  let started = false;
  const planner = createPlanner({ outbox, logger, systems });
  const { pass } = createSender({
    outbox,
    client,
    logger,
    planner,
    systems,
    batchSize,
    maxEntries,
    failures,
    audit: inTurn(
      options.homeData
        ? createHomeSender({ source: options.homeData, outbox, client, logger, maxEntries, systems })
        : undefined,
      options.auditTrail
        ? createAuditSender({ trail: options.auditTrail, outbox, client, logger, maxEntries })
        : undefined,
    ),
  });

  const runOnce = (): Promise<PassResult> => {
    if (!running) {
      running = pass().finally(() => {
        running = undefined;
        options.onPass?.();
      });
    }
    return running;
  };

  const schedule = (delayMs: number): void => {
    if (!started) return;
    if (timer) clearTimeout(timer);
    nextAttemptAt = Date.now() + delayMs;
    timer = setTimeout(() => {
      timer = undefined;
      nextAttemptAt = null;
      void runOnce()
        .catch((error: unknown) => {
          failures.value += 1;
          logger.error('sync.pass_failed', { error: error instanceof Error ? error.name : typeof error });
          return { sent: 0, rejected: 0, ok: false } satisfies PassResult;
        })
        .then((result) => schedule(result.ok ? pollMs : backoffDelay(failures.value, backoff, random)));
    }, delayMs);
    timer.unref?.();
  };

  return {
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      nextAttemptAt = null;
      await running?.catch(() => undefined);
    },
    kick() {
      if (!started || failures.value > 0 || running) return;
      schedule(0);
    },
    runOnce,
    state() {
      return {
        consecutiveFailures: failures.value,
        nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString(),
        running: running !== undefined,
      };
    },
    pullPatient: (patientId) => pullPatient({ outbox, client, systems }, patientId),
  };
}
