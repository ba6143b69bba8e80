/**
 * Provenance after the fact: once the server has confirmed observations and said which version it stored
 * of each, their Provenance resources go in transactions of their own, each targeting
 * `Observation/{id}/_history/{vid}`. An observation counts as sent only when its Provenance is on the
 * server too; until then it stays pending, and sending it again is harmless (every entry is conditional
 * or a PUT by a derived id).
 */
import { buildProvenanceBundle, type ProvenanceUnit } from '../../shared/fhir/sync-bundle';
import { deviceIdentifierValue } from '../../shared/fhir/device';
import type { PatientMappingOptions } from '../../shared/fhir/patient';
import type { Logger } from '../logging/logger';
import { classify, confirmsAll } from './answer';
import { FhirRequestError, type FhirClient } from './fhir-client';
import type { Outbox, PendingEntry } from './outbox';
import { transactionSize } from './transaction-size';

export interface Confirmed {
  readonly observationId: string;
  readonly remoteId: string | null;
  readonly remoteVersion: string | null;
}

/** The server's references already learnt for members of staff and devices. */
export interface KnownAgents {
  readonly staff: ReadonlyMap<string, string>;
  readonly devices: ReadonlyMap<string, string>;
}

export const PROVENANCE_REFUSED_MESSAGE =
  'The FHIR server refused the record of who took some measurements (their Provenance); the measurements themselves were sent. Ask IT to check the server.';

/** The Provenance target for a confirmation: the exact version when the server named one. */
export function provenanceTarget(
  confirmed: Pick<Confirmed, 'remoteId' | 'remoteVersion'>,
): string | undefined {
  if (!confirmed.remoteId) return undefined;
  return confirmed.remoteVersion
    ? `${confirmed.remoteId}/_history/${confirmed.remoteVersion}`
    : confirmed.remoteId;
}

export function createProvenanceSender(deps: {
  outbox: Outbox;
  client: FhirClient;
  logger: Logger;
  systems: PatientMappingOptions;
  maxEntries: number;
}) {
  const { outbox, client, logger } = deps;
  // Provenance PUTs are not conditional, so a server may take more of them at once than of the
  // conditional observation entries (Medplum: 50 against 8): their size is learnt on its own.
  const size = transactionSize(outbox, `${client.baseUrl}#provenance`, deps.maxEntries, logger);
  let waiting: { entry: PendingEntry; confirmed: Confirmed }[] = [];

  const unitOf = (
    { entry, confirmed }: { entry: PendingEntry; confirmed: Confirmed },
    known: KnownAgents,
  ): ProvenanceUnit => {
    const observation = entry.unit.observation;
    return {
      observation,
      target: provenanceTarget(confirmed),
      enterer: known.staff.get(observation.recordedBy.id),
      device: observation.device ? known.devices.get(deviceIdentifierValue(observation.device)) : undefined,
    };
  };

  return {
    /** Observations the server confirmed; their Provenance goes with the next flush. */
    add(entries: readonly { entry: PendingEntry; confirmed: Confirmed }[]): void {
      waiting.push(...entries);
    },
    waiting: (): number => waiting.length,
    /**
     * Sends the waiting Provenances. Returns the confirmations now complete (to be marked sent), and
     * `retry` when the server could not take them now: those observations stay pending.
     */
    async flush(
      known: KnownAgents,
    ): Promise<{ done: Confirmed[]; problem?: string; retry?: FhirRequestError | Error }> {
      const done: Confirmed[] = [];
      let problem: string | undefined;
      while (waiting.length > 0) {
        const chunk = waiting.slice(0, size.current());
        const bundle = buildProvenanceBundle(
          chunk.map((w) => unitOf(w, known)),
          deps.systems,
        );
        try {
          const response = await client.transaction(bundle);
          if (!confirmsAll(response, bundle))
            throw new FhirRequestError('The FHIR server’s answer did not match what was sent.', {
              retryable: true,
            });
          size.accepted(chunk.length);
        } catch (error) {
          const verdict = classify(error, { usedIfMatch: false });
          if (verdict.kind === 'too-large' && chunk.length > 1) {
            size.refused(chunk.length);
            continue;
          }
          if (verdict.kind === 'retry') {
            const rest = waiting;
            waiting = [];
            outbox.markAttemptFailed(
              rest.map((w) => w.entry.observationId),
              verdict.message,
            );
            return {
              done,
              ...(problem ? { problem } : {}),
              retry: error instanceof Error ? error : new Error('provenance not sent'),
            };
          }
          // Refused for good: the observations are on the server and stay there; what they lack is
          // noted for IT rather than holding every later measurement back.
          logger.warn('sync.provenance_refused', { status: verdict.status });
          problem = PROVENANCE_REFUSED_MESSAGE;
        }
        done.push(...chunk.map((w) => w.confirmed));
        waiting = waiting.slice(chunk.length);
      }
      return { done, ...(problem ? { problem } : {}) };
    },
  };
}
