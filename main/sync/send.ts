/**
 * Sending: observations first, then corrected patients and the visits that ended since. Each answer is
 * classified by answer.ts; what to send next comes from plan.ts.
 */
import type { Patient } from '@medplum/fhirtypes';
import { identifierToken, IDENTIFIER_SYSTEMS } from '../../shared/fhir/identifiers';
import { buildEncounterSyncBundle, buildPatientCorrectionBundle } from '../../shared/fhir/sync-bundle';
import type { Logger } from '../logging/logger';
import { confirmedEntries, confirmsAll, failureOf, type Failure } from './answer';
import { FhirRequestError, type FhirClient } from './fhir-client';
import type { Outbox, PendingPatient } from './outbox';
import { encountersThatFit, type Planner } from './plan';

export interface PassResult {
  readonly sent: number;
  readonly rejected: number;
  /** false: the pass stopped on an error that a later attempt may overcome. */
  readonly ok: boolean;
}

/** Consecutive failed attempts, shared with the scheduler's back-off. */
export interface FailureCount {
  value: number;
}

export interface SenderDeps {
  readonly outbox: Outbox;
  readonly client: FhirClient;
  readonly logger: Logger;
  readonly planner: Planner;
  readonly mrnSystem: string | undefined;
  readonly batchSize: number;
  readonly maxEntries: number;
  readonly failures: FailureCount;
}

const mismatch = (): FhirRequestError =>
  new FhirRequestError('The FHIR server’s answer did not match what was sent.', { retryable: true });

/** The server's Patients with this MRN (normally one). */
export async function patientsWithMrn(
  client: FhirClient,
  mrnSystem: string | undefined,
  mrn: string,
): Promise<Patient[]> {
  return (
    await client.search(
      'Patient',
      `identifier=${identifierToken(mrnSystem ?? IDENTIFIER_SYSTEMS.mrn, mrn)}`,
      1,
    )
  )
    .flatMap((p) => p.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is Patient => r?.resourceType === 'Patient');
}

export function createSender(deps: SenderDeps): { pass(): Promise<PassResult> } {
  const { outbox, client, logger, planner, failures } = deps;
  const mrnSystem = deps.mrnSystem ?? IDENTIFIER_SYSTEMS.mrn;
  /** After a 4xx, entries go one at a time until this many have been tried. */
  let isolate = 0;

  const countFailure = (failure: Failure): void => {
    failures.value += 1;
    logger.warn('sync.attempt_failed', { status: failure.status, failures: failures.value });
  };

  /** Ended visits: true when every one went (or was refused for good), false to retry later. */
  const sendEncounters = async (): Promise<boolean> => {
    for (;;) {
      let queue = outbox.pendingEncounters(deps.batchSize);
      if (queue.length === 0) return true;
      while (queue.length > 0) {
        const take = encountersThatFit(
          queue.map((e) => e.unit),
          deps.maxEntries,
        );
        const batch = queue.slice(0, take);
        queue = queue.slice(take);
        const ids = batch.map((e) => e.encounterId);
        let built: ReturnType<typeof buildEncounterSyncBundle>;
        try {
          built = buildEncounterSyncBundle(
            batch.map((e) => e.unit),
            { mrnSystem: deps.mrnSystem },
          );
        } catch {
          outbox.markEncountersFailed(ids, 'This visit could not be prepared for sending.', true);
          continue;
        }
        try {
          const response = await client.transaction(built.bundle);
          if (!confirmsAll(response, built.bundle)) throw mismatch();
          outbox.markEncountersSent(ids);
          failures.value = 0;
        } catch (error) {
          const failure = failureOf(error);
          // A visit the server refuses as invalid is set aside (it stays in the local record).
          outbox.markEncountersFailed(ids, failure.message, !failure.retryable);
          if (failure.retryable) {
            countFailure(failure);
            return false;
          }
        }
      }
    }
  };

  /** Corrected patients: read the server's copy, merge, write back. false: retry later. */
  const sendPatientCorrection = async (pending: PendingPatient): Promise<boolean> => {
    try {
      const matches = await patientsWithMrn(client, mrnSystem, pending.patient.mrn);
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
      if (!confirmsAll(response, bundle)) throw mismatch();
      outbox.markPatientSent(pending);
      failures.value = 0;
      return true;
    } catch (error) {
      const failure = failureOf(error);
      outbox.markPatientFailed(pending, failure.message, !failure.retryable);
      if (!failure.retryable) {
        logger.warn('sync.entry_rejected', { reason: 'server', status: failure.status });
        return true;
      }
      countFailure(failure);
      return false;
    }
  };

  const sendPatients = async (): Promise<boolean> => {
    for (;;) {
      const queue = outbox.pendingPatients(deps.batchSize);
      if (queue.length === 0) return true;
      for (const pending of queue) if (!(await sendPatientCorrection(pending))) return false;
    }
  };

  const pass = async (): Promise<PassResult> => {
    let sent = 0;
    const rejectedBefore = planner.rejectedCount();
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
      return { sent, rejected: rejected + planner.rejectedCount() - rejectedBefore, ok };
    };
    for (;;) {
      // One query serves several transactions: the fetched entries are sent in bundles that fit.
      // Confirmations are written before the next query, so a confirmed entry is never fetched again.
      writeConfirmations();
      let queue = outbox.pending(isolate > 0 ? 1 : deps.batchSize);
      // Observations first; then corrected patients and the visits that ended since.
      if (queue.length === 0) return result((await sendPatients()) && (await sendEncounters()));
      while (queue.length > 0) {
        const { prepared, used } = planner.next(isolate > 0 ? queue.slice(0, 1) : queue, deps.maxEntries);
        queue = queue.slice(used);
        if (!prepared) continue;
        const idBySeries = new Map(
          prepared.entries.map((e) => [e.unit.observation.seriesId, e.observationId]),
        );
        const ids = prepared.entries.map((e) => e.observationId);
        try {
          const response = await client.transaction(prepared.bundle.bundle);
          confirmations.push(...confirmedEntries(response, prepared.bundle, idBySeries));
          if (Date.now() - lastWrite >= 250) writeConfirmations();
          if (isolate > 0) isolate -= 1;
          failures.value = 0;
        } catch (error) {
          writeConfirmations();
          const failure = failureOf(error);
          if (failure.retryable) {
            outbox.markAttemptFailed(ids, failure.message);
            countFailure(failure);
            return result(false);
          }
          if (prepared.entries.length > 1) {
            // Find the entry the server refuses by sending them one at a time.
            outbox.markAttemptFailed(ids, failure.message);
            isolate = prepared.entries.length;
            break;
          }
          outbox.markRejected(ids[0] as string, failure.message);
          rejected += 1;
          if (isolate > 0) isolate -= 1;
          logger.warn('sync.entry_rejected', { reason: 'server', status: failure.status });
          break;
        }
      }
    }
  };

  return { pass };
}
