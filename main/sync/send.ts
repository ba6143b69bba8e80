/**
 * Sending: observations first (their Provenance follows once the server has named each version, see
 * provenance.ts), then corrected patients and the visits that ended since. Each answer is classified by
 * answer.ts; what to send next comes from plan.ts.
 */
import type { Patient } from '@medplum/fhirtypes';
import { identifierToken, IDENTIFIER_SYSTEMS } from '../../shared/fhir/identifiers';
import { buildEncounterSyncBundle, buildPatientCorrectionBundle } from '../../shared/fhir/sync-bundle';
import type { PatientMappingOptions } from '../../shared/fhir/patient';
import type { Logger } from '../logging/logger';
import {
  classify,
  confirmedEntries,
  confirmsAll,
  failureOf,
  sharedReferences,
  DUPLICATE_PATIENT_MESSAGE,
  type Failure,
  type Verdict,
} from './answer';
import { FhirRequestError, type FhirClient } from './fhir-client';
import type { Outbox, PendingEntry, PendingPatient } from './outbox';
import { encountersThatFit, type Planner } from './plan';
import { createProvenanceSender, type Confirmed } from './provenance';
import { transactionSize } from './transaction-size';

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
  readonly systems: PatientMappingOptions;
  readonly batchSize: number;
  readonly maxEntries: number;
  readonly failures: FailureCount;
  /** Sends the audit trail's new records after everything else (audit-sync.ts); absent: not sent. */
  readonly audit?: { send(): Promise<{ ok: boolean; failure?: Error }> } | undefined;
}

const TOO_LARGE_MESSAGE =
  'The FHIR server refuses even a single measurement as too large; ask IT to check its transaction limits.';

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
  const mrnSystem = deps.systems.mrnSystem ?? IDENTIFIER_SYSTEMS.mrn;
  /** After a 4xx, entries go one at a time until this many have been tried. */
  let isolate = 0;
  const size = transactionSize(outbox, client.baseUrl, deps.maxEntries, logger);
  const provenance = createProvenanceSender({
    outbox,
    client,
    logger,
    systems: deps.systems,
    maxEntries: deps.maxEntries,
  });

  const countFailure = (failure: Pick<Failure, 'status'>): void => {
    failures.value += 1;
    logger.warn('sync.attempt_failed', { status: failure.status, failures: failures.value });
  };

  /** Ended visits: true when every one went (or was refused for good), false to retry later. */
  const sendEncounters = async (): Promise<boolean> => {
    /** After a refusal for good, visits go one at a time so only the refused one is set aside. */
    let oneByOne = 0;
    for (;;) {
      let queue = outbox.pendingEncounters(oneByOne > 0 ? 1 : deps.batchSize);
      if (queue.length === 0) return true;
      while (queue.length > 0) {
        const take = encountersThatFit(
          queue.map((e) => e.unit),
          oneByOne > 0 ? 1 : size.current(),
        );
        const batch = queue.slice(0, take);
        queue = queue.slice(take);
        const ids = batch.map((e) => e.encounterId);
        let built: ReturnType<typeof buildEncounterSyncBundle>;
        try {
          built = buildEncounterSyncBundle(
            batch.map((e) => e.unit),
            deps.systems,
          );
        } catch {
          outbox.markEncountersFailed(ids, 'This visit could not be prepared for sending.', true);
          continue;
        }
        try {
          const response = await client.transaction(built.bundle);
          if (!confirmsAll(response, built.bundle)) throw mismatch();
          outbox.markEncountersSent(ids);
          size.accepted(built.bundle.entry?.length ?? 0);
          if (oneByOne > 0) oneByOne -= 1;
          failures.value = 0;
        } catch (error) {
          const verdict = classify(error, { usedIfMatch: false });
          if (verdict.kind === 'retry') {
            outbox.markEncountersFailed(ids, verdict.message, false);
            countFailure(verdict);
            return false;
          }
          if (batch.length > 1) {
            if (verdict.kind === 'too-large') size.refused(built.bundle.entry?.length ?? 1);
            else oneByOne = batch.length;
            break;
          }
          // A visit the server refuses for good is set aside (it stays in the local record).
          outbox.markEncountersFailed(
            ids,
            verdict.kind === 'set-aside' && verdict.reason === 'duplicate'
              ? DUPLICATE_PATIENT_MESSAGE
              : verdict.message,
            true,
          );
          logger.warn('sync.entry_rejected', { reason: 'server', status: verdict.status });
          if (oneByOne > 0) oneByOne -= 1;
          break;
        }
      }
    }
  };

  /** Corrected patients: read the server's copy, merge, write back. false: retry later. */
  const sendPatientCorrection = async (pending: PendingPatient): Promise<boolean> => {
    let usedIfMatch = false;
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
      const bundle = buildPatientCorrectionBundle(pending.patient, matches[0], {
        ...deps.systems,
        mrnSystem,
      });
      usedIfMatch = (bundle.entry ?? []).some((e) => e.request?.ifMatch !== undefined);
      const response = await client.transaction(bundle);
      if (!confirmsAll(response, bundle)) throw mismatch();
      outbox.markPatientSent(pending);
      failures.value = 0;
      return true;
    } catch (error) {
      const verdict = classify(error, { usedIfMatch });
      const retry = verdict.kind === 'retry';
      outbox.markPatientFailed(
        pending,
        verdict.kind === 'set-aside' && verdict.reason === 'duplicate'
          ? 'Several patients on the FHIR server have this medical record number; ask the records office to merge them.'
          : verdict.message,
        !retry,
      );
      if (!retry) {
        logger.warn('sync.entry_rejected', { reason: 'server', status: verdict.status });
        return true;
      }
      countFailure(verdict);
      return false;
    }
  };

  const sendAuditTrail = async (): Promise<boolean> => {
    if (!deps.audit) return true;
    const out = await deps.audit.send();
    if (!out.ok) countFailure(failureOf(out.failure));
    return out.ok;
  };

  const sendPatients = async (): Promise<boolean> => {
    for (;;) {
      const queue = outbox.pendingPatients(deps.batchSize);
      if (queue.length === 0) return true;
      for (const pending of queue) if (!(await sendPatientCorrection(pending))) return false;
    }
  };

  /**
   * Sets a refused observation aside. A conditional entry that matched several server resources is
   * usually the patient (two server patients with one MRN): then every pending entry of that patient
   * waits for the records office, and nothing of theirs is sent to either server patient.
   */
  const setAside = async (entry: PendingEntry, verdict: Verdict & { kind: 'set-aside' }): Promise<number> => {
    if (verdict.reason === 'duplicate') {
      const matches = await patientsWithMrn(client, mrnSystem, entry.unit.patient.mrn).catch(() => []);
      if (matches.length > 1) {
        logger.warn('sync.entry_rejected', { reason: 'ambiguous-patient' });
        return outbox.markPatientEntriesRejected(entry.unit.patient.id, DUPLICATE_PATIENT_MESSAGE);
      }
    }
    outbox.markRejected(entry.observationId, verdict.message);
    logger.warn('sync.entry_rejected', { reason: verdict.reason, status: verdict.status });
    return 1;
  };

  const pass = async (): Promise<PassResult> => {
    // Server references confirmed during this pass only: a later pass asks the server again (by MRN,
    // conditionally), so a patient merged or split on the server meanwhile is not referred to stale.
    const known = {
      patients: new Map<string, string>(),
      staff: new Map<string, string>(),
      devices: new Map<string, string>(),
    };
    const byKind = { patient: known.patients, staff: known.staff, device: known.devices } as const;
    let sent = 0;
    const rejectedBefore = planner.rejectedCount();
    let rejected = 0;
    // Confirmations are written in groups: each write is a durable commit (an fsync), and one per
    // transaction would cost as much as the HTTP round trip. A crash before the write only means those
    // entries are sent again, which the conditional entries make harmless.
    // An observation is confirmed once its Provenance is on the server too (provenance.ts).
    let confirmations: Confirmed[] = [];
    let problem: string | undefined;
    let lastWrite = Date.now();
    const writeConfirmations = (): void => {
      if (confirmations.length > 0) sent += outbox.markSent(confirmations, problem);
      confirmations = [];
      problem = undefined;
      lastWrite = Date.now();
    };
    /** The waiting Provenances; false when the server could not take them now (counted unless `quiet`). */
    const flushProvenance = async (quiet = false): Promise<boolean> => {
      if (provenance.waiting() === 0) return true;
      const out = await provenance.flush(known);
      confirmations.push(...out.done);
      problem = out.problem ?? problem;
      if (!out.retry) return true;
      if (!quiet) countFailure(failureOf(out.retry));
      return false;
    };
    const result = async (ok: boolean): Promise<PassResult> => {
      const flushed = await flushProvenance(!ok);
      writeConfirmations();
      // A pass that sent everything waiting ends the failures, whichever stream failed before: home
      // data or the audit trail recovers on its own, without a clinic value to carry it.
      if (ok && flushed) failures.value = 0;
      return { sent, rejected: rejected + planner.rejectedCount() - rejectedBefore, ok: ok && flushed };
    };
    for (;;) {
      // One query serves several transactions: the fetched entries are sent in bundles that fit.
      // Confirmations are written before the next query, so a confirmed entry is never fetched again.
      if (!(await flushProvenance())) return result(false);
      writeConfirmations();
      let queue = outbox.pending(isolate > 0 ? 1 : deps.batchSize);
      // Observations first; then corrected patients and the visits that ended since.
      if (queue.length === 0)
        return result((await sendPatients()) && (await sendEncounters()) && (await sendAuditTrail()));
      while (queue.length > 0) {
        const { prepared, used } = planner.next(
          isolate > 0 ? queue.slice(0, 1) : queue,
          size.current(),
          known,
        );
        queue = queue.slice(used);
        if (!prepared) continue;
        const idBySeries = new Map(
          prepared.entries.map((e) => [e.unit.observation.seriesId, e.observationId]),
        );
        const ids = prepared.entries.map((e) => e.observationId);
        try {
          const response = await client.transaction(prepared.bundle.bundle);
          const byId = new Map(prepared.entries.map((e) => [e.observationId, e]));
          provenance.add(
            confirmedEntries(response, prepared.bundle, idBySeries).map((confirmed) => ({
              entry: byId.get(confirmed.observationId) as PendingEntry,
              confirmed,
            })),
          );
          for (const r of sharedReferences(response, prepared.bundle)) byKind[r.kind].set(r.key, r.reference);
          size.accepted(prepared.bundle.bundle.entry?.length ?? 0);
          if (Date.now() - lastWrite >= 250) writeConfirmations();
          if (isolate > 0) isolate -= 1;
          failures.value = 0;
        } catch (error) {
          writeConfirmations();
          const verdict = classify(error, { usedIfMatch: false });
          if (verdict.kind === 'retry') {
            outbox.markAttemptFailed(ids, verdict.message);
            countFailure(verdict);
            return result(false);
          }
          if (verdict.kind === 'too-large' && prepared.entries.length > 1) {
            // Nothing is wrong with the data: plan again with fewer entries per transaction.
            size.refused(prepared.bundle.bundle.entry?.length ?? 1);
            break;
          }
          if (prepared.entries.length > 1) {
            // Find the entry the server refuses by sending them one at a time.
            outbox.markAttemptFailed(ids, verdict.message);
            isolate = prepared.entries.length;
            break;
          }
          const entry = prepared.entries[0] as PendingEntry;
          rejected += await setAside(
            entry,
            verdict.kind === 'set-aside'
              ? verdict
              : { kind: 'set-aside', reason: 'other', message: TOO_LARGE_MESSAGE, status: verdict.status },
          );
          if (isolate > 0) isolate -= 1;
          break;
        }
      }
    }
  };

  return { pass };
}
