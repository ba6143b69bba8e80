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
import { createPlanner } from './plan';
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
  /** Observations per transaction (default 50). */
  readonly batchSize?: number | undefined;
  /**
   * The most entries the server accepts in one transaction (default 500). Servers cap transactions that
   * hold conditional entries (Medplum: 8, as they need serializable isolation); batches shrink to fit.
   */
  readonly maxTransactionEntries?: number | undefined;
  readonly backoff?: BackoffOptions | undefined;
  /** How often an idle worker looks for new entries, in ms (default 10 s). */
  readonly pollMs?: number | undefined;
  readonly random?: (() => number) | undefined;
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

/** Delay before attempt n+1 after n consecutive failures: min(max, initial·2ⁿ⁻¹), half of it jittered. */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number): number {
  const exp = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, failures - 1));
  return exp / 2 + random() * (exp / 2);
}

export function createSyncWorker(options: SyncWorkerOptions): SyncWorker {
  const { outbox, client, logger } = options;
  const batchSize = options.batchSize ?? 50;
  const maxEntries = options.maxTransactionEntries ?? 500;
  const backoff = options.backoff ?? { initialMs: 2_000, maxMs: 5 * 60_000 };
  const pollMs = options.pollMs ?? 10_000;
  const random = options.random ?? Math.random;
  const failures: FailureCount = { value: 0 };
  let timer: NodeJS.Timeout | undefined;
  let nextAttemptAt: number | null = null;
  let running: Promise<PassResult> | undefined;
  let started = false;
  const planner = createPlanner({ outbox, logger, mrnSystem: options.mrnSystem });
  const { pass } = createSender({
    outbox,
    client,
    logger,
    planner,
    mrnSystem: options.mrnSystem,
    batchSize,
    maxEntries,
    failures,
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
    pullPatient: (patientId) => pullPatient({ outbox, client, mrnSystem: options.mrnSystem }, patientId),
  };
}
