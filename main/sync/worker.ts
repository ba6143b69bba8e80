/**
 * Store-and-forward sync: sends the outbox to the FHIR server in transaction bundles, oldest first.
 * - An entry is marked sent only when the transaction-response confirms its Observation entry; a lost
 *   answer leaves it pending, and the retry is harmless because every entry is conditional.
 * - While the server cannot be reached (or answers 5xx/429/401), attempts back off exponentially with
 *   jitter ("equal jitter": half the delay fixed, half random), so a clinic's workstations do not all
 *   retry in step.
 * - A batch the server refuses as invalid (4xx) is retried one entry at a time, so one bad entry is set
 *   aside as rejected without holding up the others.
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { AppError } from '../../shared/ipc';
import { FhirMappingError } from '../../shared/fhir/errors';
import { tryFromFhirObservation, type RemoteObservation } from '../../shared/fhir/from-observation';
import { identifierToken, IDENTIFIER_SYSTEMS } from '../../shared/fhir/identifiers';
import {
  buildEncounterSyncBundle,
  buildPatientCorrectionBundle,
  buildSyncBundle,
  countEncounterEntries,
  countSyncEntries,
  type SyncBundle,
} from '../../shared/fhir/sync-bundle';
import type { Logger } from '../logging/logger';
import { FhirRequestError, type FhirClient } from './fhir-client';
import type { Outbox, PendingEntry, PendingPatient } from './outbox';

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

export interface PassResult {
  readonly sent: number;
  readonly rejected: number;
  /** false: the pass stopped on an error that a later attempt may overcome. */
  readonly ok: boolean;
}

export interface PullResult {
  readonly observations: RemoteObservation[];
  /** Server observations that could not be mapped (unknown code, unit, not final...). */
  readonly skipped: number;
  /** Set when the server could not be reached and these are the ones fetched last time. */
  readonly fromCache?: true;
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

/** "Observation/abc/_history/2" → "Observation/abc". */
function resourceIdOf(location: string | undefined): string | null {
  if (!location) return null;
  const match = /(?:^|\/)(Observation\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(location);
  return match?.[1] ?? null;
}

/** The Observation entries a transaction-response confirms; throws when the answer does not add up. */
export function confirmedEntries(
  response: Bundle,
  sent: SyncBundle,
  idBySeries: ReadonlyMap<string, string>,
): { observationId: string; remoteId: string | null }[] {
  const entries = response.entry ?? [];
  if (response.type !== 'transaction-response' || entries.length !== (sent.bundle.entry?.length ?? 0)) {
    throw new FhirRequestError('The FHIR server’s answer did not match what was sent.', { retryable: true });
  }
  return sent.observations.map((ref) => {
    const status = entries[ref.index]?.response?.status ?? '';
    const observationId = idBySeries.get(ref.seriesId);
    if (!/^2\d\d/.test(status) || !observationId) {
      throw new FhirRequestError('The FHIR server did not confirm every observation.', { retryable: true });
    }
    return { observationId, remoteId: resourceIdOf(entries[ref.index]?.response?.location) };
  });
}

/** Whether a failed attempt is worth repeating, and the sentence (without PHI) that says what happened. */
function failureOf(error: unknown): { retryable: boolean; message: string } {
  if (error instanceof FhirRequestError) return { retryable: error.retryable, message: error.message };
  return { retryable: true, message: 'Sync stopped on an unexpected problem; it will try again.' };
}

/** Whether a transaction-response confirms every entry of what was sent. */
function confirmsAll(response: Bundle, sent: Bundle): boolean {
  const entries = response.entry ?? [];
  return (
    response.type === 'transaction-response' &&
    entries.length === (sent.entry?.length ?? 0) &&
    entries.every((e) => /^2\d\d/.test(e.response?.status ?? ''))
  );
}

export function createSyncWorker(options: SyncWorkerOptions): SyncWorker {
  const { outbox, client, logger } = options;
  const batchSize = options.batchSize ?? 50;
  const maxEntries = options.maxTransactionEntries ?? 500;
  const backoff = options.backoff ?? { initialMs: 2_000, maxMs: 5 * 60_000 };
  const pollMs = options.pollMs ?? 10_000;
  const random = options.random ?? Math.random;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let nextAttemptAt: number | null = null;
  let running: Promise<PassResult> | undefined;
  let started = false;
  /** Entries the mapping refused (kept so a shrinking batch does not count one twice). */
  const rejectedIds = new Set<string>();
  /** After a 4xx, entries go one at a time until this many have been tried. */
  let isolate = 0;

  /** Entries whose records cannot be mapped are rejected here, before they could block a batch. */
  const mappable = (
    entries: readonly PendingEntry[],
  ): { bundle: SyncBundle; entries: PendingEntry[] } | undefined => {
    try {
      return {
        bundle: buildSyncBundle(
          entries.map((e) => e.unit),
          { mrnSystem: options.mrnSystem },
        ),
        entries: [...entries],
      };
    } catch {
      // Some entry cannot be mapped: find which below.
    }
    const good: PendingEntry[] = [];
    for (const entry of entries) {
      try {
        buildSyncBundle([entry.unit], { mrnSystem: options.mrnSystem });
        good.push(entry);
      } catch (error) {
        const message =
          error instanceof FhirMappingError
            ? error.message
            : 'This measurement could not be prepared for sending.';
        if (rejectedIds.has(entry.observationId)) continue;
        rejectedIds.add(entry.observationId);
        outbox.markRejected(entry.observationId, message);
        logger.warn('sync.entry_rejected', { reason: 'mapping' });
      }
    }
    return good.length > 0
      ? {
          bundle: buildSyncBundle(
            good.map((e) => e.unit),
            { mrnSystem: options.mrnSystem },
          ),
          entries: good,
        }
      : undefined;
  };

  /** The longest prefix of `queue` whose bundle fits the server's transaction size (at least one entry). */
  const nextBundle = (
    queue: readonly PendingEntry[],
  ): { prepared: ReturnType<typeof mappable>; used: number } => {
    let take = 1;
    const limit = isolate > 0 ? 1 : queue.length;
    while (take < limit && countSyncEntries(queue.slice(0, take + 1).map((e) => e.unit)) <= maxEntries)
      take += 1;
    return { prepared: mappable(queue.slice(0, take)), used: take };
  };

  /** Ended visits: true when every one went (or was refused for good), false to retry later. */
  const sendEncounters = async (): Promise<boolean> => {
    for (;;) {
      let queue = outbox.pendingEncounters(batchSize);
      if (queue.length === 0) return true;
      while (queue.length > 0) {
        let take = 1;
        while (
          take < queue.length &&
          countEncounterEntries(queue.slice(0, take + 1).map((e) => e.unit)) <= maxEntries
        ) {
          take += 1;
        }
        const batch = queue.slice(0, take);
        queue = queue.slice(take);
        const ids = batch.map((e) => e.encounterId);
        let built: ReturnType<typeof buildEncounterSyncBundle>;
        try {
          built = buildEncounterSyncBundle(
            batch.map((e) => e.unit),
            { mrnSystem: options.mrnSystem },
          );
        } catch {
          outbox.markEncountersFailed(ids, 'This visit could not be prepared for sending.', true);
          continue;
        }
        try {
          const response = await client.transaction(built.bundle);
          if (!confirmsAll(response, built.bundle)) {
            throw new FhirRequestError('The FHIR server’s answer did not match what was sent.', {
              retryable: true,
            });
          }
          outbox.markEncountersSent(ids);
          failures = 0;
        } catch (error) {
          const { retryable, message } = failureOf(error);
          // A visit the server refuses as invalid is set aside (it stays in the local record).
          outbox.markEncountersFailed(ids, message, !retryable);
          if (retryable) {
            failures += 1;
            logger.warn('sync.attempt_failed', {
              status: error instanceof FhirRequestError ? (error.status ?? null) : null,
              failures,
            });
            return false;
          }
        }
      }
    }
  };

  const mrnSystem = options.mrnSystem ?? IDENTIFIER_SYSTEMS.mrn;

  /** The server's Patients with this MRN (normally one). */
  const patientsWithMrn = async (mrn: string): Promise<Patient[]> =>
    (await client.search('Patient', `identifier=${identifierToken(mrnSystem, mrn)}`, 1))
      .flatMap((p) => p.entry ?? [])
      .map((e) => e.resource)
      .filter((r): r is Patient => r?.resourceType === 'Patient');

  /** Corrected patients: read the server's copy, merge, write back. false: retry later. */
  const sendPatientCorrection = async (pending: PendingPatient): Promise<boolean> => {
    try {
      const matches = await patientsWithMrn(pending.patient.mrn);
      if (matches.length > 1) {
        outbox.markPatientFailed(
          pending,
          'Several patients on the FHIR server have this medical record number; ask the records office to merge them.',
          true,
        );
        logger.warn('sync.entry_rejected', { reason: 'ambiguous-patient' });
        return true;
      }
      const bundle = buildPatientCorrectionBundle(pending.patient, matches[0], { mrnSystem });
      const response = await client.transaction(bundle);
      if (!confirmsAll(response, bundle))
        throw new FhirRequestError('The FHIR server’s answer did not match what was sent.', {
          retryable: true,
        });
      outbox.markPatientSent(pending);
      failures = 0;
      return true;
    } catch (error) {
      const { retryable, message } = failureOf(error);
      outbox.markPatientFailed(pending, message, !retryable);
      if (!retryable) {
        logger.warn('sync.entry_rejected', {
          reason: 'server',
          status: error instanceof FhirRequestError ? (error.status ?? null) : null,
        });
        return true;
      }
      failures += 1;
      logger.warn('sync.attempt_failed', {
        status: error instanceof FhirRequestError ? (error.status ?? null) : null,
        failures,
      });
      return false;
    }
  };

  const sendPatients = async (): Promise<boolean> => {
    for (;;) {
      const queue = outbox.pendingPatients(batchSize);
      if (queue.length === 0) return true;
      for (const pending of queue) if (!(await sendPatientCorrection(pending))) return false;
    }
  };

  const pass = async (): Promise<PassResult> => {
    let sent = 0;
    const rejectedBefore = rejectedIds.size;
    let rejected = 0;
    // Confirmations are written in groups: each write is a durable commit (an fsync), and one per
    // transaction would cost as much as the HTTP round trip. A crash before the write only means those
    // entries are sent again, which the conditional entries make harmless.
    let confirmations: { observationId: string; remoteId: string | null }[] = [];
    let lastWrite = Date.now();
    const writeConfirmations = (): void => {
      if (confirmations.length > 0) sent += outbox.markSent(confirmations);
      confirmations = [];
      lastWrite = Date.now();
    };
    const result = (ok: boolean): PassResult => {
      writeConfirmations();
      return { sent, rejected: rejected + rejectedIds.size - rejectedBefore, ok };
    };
    for (;;) {
      // One query serves several transactions: the fetched entries are sent in bundles that fit.
      // Confirmations are written before the next query, so a confirmed entry is never fetched again.
      writeConfirmations();
      let queue = outbox.pending(isolate > 0 ? 1 : batchSize);
      // Observations first; then corrected patients and the visits that ended since.
      if (queue.length === 0) return result((await sendPatients()) && (await sendEncounters()));
      while (queue.length > 0) {
        const { prepared, used } = nextBundle(queue);
        queue = queue.slice(used);
        if (!prepared) continue;
        const idBySeries = new Map(
          prepared.entries.map((e) => [e.unit.observation.seriesId, e.observationId]),
        );
        const ids = prepared.entries.map((e) => e.observationId);
        try {
          const response = await client.transaction(prepared.bundle.bundle);
          const confirmed = confirmedEntries(response, prepared.bundle, idBySeries);
          confirmations.push(...confirmed);
          if (Date.now() - lastWrite >= 250) writeConfirmations();
          if (isolate > 0) isolate -= 1;
          failures = 0;
        } catch (error) {
          writeConfirmations();
          const { retryable, message } = failureOf(error);
          if (retryable) {
            outbox.markAttemptFailed(ids, message);
            failures += 1;
            logger.warn('sync.attempt_failed', {
              status: error instanceof FhirRequestError ? (error.status ?? null) : null,
              failures,
            });
            return result(false);
          }
          if (prepared.entries.length > 1) {
            // Find the entry the server refuses by sending them one at a time.
            outbox.markAttemptFailed(ids, message);
            isolate = prepared.entries.length;
            break;
          }
          outbox.markRejected(ids[0] as string, message);
          rejected += 1;
          if (isolate > 0) isolate -= 1;
          logger.warn('sync.entry_rejected', {
            reason: 'server',
            status: (error as FhirRequestError).status ?? null,
          });
          break;
        }
      }
    }
  };

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
          failures += 1;
          logger.error('sync.pass_failed', { error: error instanceof Error ? error.name : typeof error });
          return { sent: 0, rejected: 0, ok: false } satisfies PassResult;
        })
        .then((result) => schedule(result.ok ? pollMs : backoffDelay(failures, backoff, random)));
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
      if (!started || failures > 0 || running) return;
      schedule(0);
    },
    runOnce,
    state() {
      return {
        consecutiveFailures: failures,
        nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString(),
        running: running !== undefined,
      };
    },
    async pullPatient(patientId) {
      const mrn = outbox.mrnOf(patientId);
      if (mrn === undefined) throw new AppError('NOT_FOUND', 'This patient could not be found.');
      try {
        const serverIds = (await patientsWithMrn(mrn))
          .map((p) => p.id)
          .filter((id): id is string => typeof id === 'string');
        const observations: RemoteObservation[] = [];
        let skipped = 0;
        for (const id of serverIds) {
          const pages = await client.search(
            'Observation',
            `subject=${encodeURIComponent(`Patient/${id}`)}&_count=200`,
          );
          for (const entry of pages.flatMap((p) => p.entry ?? [])) {
            if (entry.resource?.resourceType !== 'Observation') continue;
            const mapped = tryFromFhirObservation(entry.resource);
            if (mapped.ok) observations.push(mapped.observation);
            else skipped += 1;
          }
        }
        observations.sort((a, b) => b.effectiveAt.localeCompare(a.effectiveAt));
        outbox.saveRemote(patientId, observations);
        return { observations, skipped };
      } catch (error) {
        if (!(error instanceof FhirRequestError)) throw error;
        // Offline: what was fetched before is still worth showing, marked as such.
        const cached = outbox.remoteObservations(patientId);
        if (cached.length > 0) return { observations: cached, skipped: 0, fromCache: true };
        throw new AppError('UNAVAILABLE', error.message);
      }
    },
  };
}
