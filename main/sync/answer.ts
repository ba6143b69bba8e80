/**
 * Reading the server's answer to a transaction: which observations it confirmed, and whether a failed
 * attempt is worth repeating (retry) or the entries must be set aside (refused for good).
 */
import type { Bundle } from '@medplum/fhirtypes';
import type { SyncBundle } from '../../shared/fhir/sync-bundle';
import { FhirRequestError } from './fhir-client';

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

/** Whether a transaction-response confirms every entry of what was sent. */
export function confirmsAll(response: Bundle, sent: Bundle): boolean {
  const entries = response.entry ?? [];
  return (
    response.type === 'transaction-response' &&
    entries.length === (sent.entry?.length ?? 0) &&
    entries.every((e) => /^2\d\d/.test(e.response?.status ?? ''))
  );
}

export interface Failure {
  readonly retryable: boolean;
  /** Without PHI: it goes to the outbox and the status line. */
  readonly message: string;
  readonly status: number | null;
}

/** Whether a failed attempt is worth repeating, and the sentence (without PHI) that says what happened. */
export function failureOf(error: unknown): Failure {
  if (error instanceof FhirRequestError)
    return { retryable: error.retryable, message: error.message, status: error.status ?? null };
  return {
    retryable: true,
    message: 'Sync stopped on an unexpected problem; it will try again.',
    status: null,
  };
}
