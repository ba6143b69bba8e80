/**
 * Reading the server's answer to a transaction: which observations it confirmed, and whether a failed
 * attempt is worth repeating (retry) or the entries must be set aside (refused for good).
 */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import type { SharedEntryRef, SyncBundle } from '../../shared/fhir/sync-bundle';
import { FhirRequestError } from './fhir-client';

/** "Observation/abc/_history/2" → "Observation/abc". */
function resourceIdOf(location: string | undefined): string | null {
  if (!location) return null;
  const match = /(?:^|\/)(Observation\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(location);
  return match?.[1] ?? null;
}

const VERSION_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * The version the server gave the resource of one answer entry (FHIR R4 http.html §3.1.0.11.2: the
 * response's etag, else the version in its location, else the returned resource's meta.versionId), or
 * null when it gave none it could be trusted with: sources that disagree, or one that is not an id.
 */
export function versionOf(entry: BundleEntry | undefined, remoteId: string | null): string | null {
  const found = new Set<string>();
  const etag = entry?.response?.etag;
  if (etag !== undefined) found.add(/^(?:W\/)?"([^"]*)"$/.exec(etag)?.[1] ?? '');
  const fromLocation = /\/_history\/([^/]+)$/.exec(entry?.response?.location ?? '')?.[1];
  if (fromLocation !== undefined) found.add(fromLocation);
  const resource = entry?.resource;
  if (
    found.size === 0 &&
    resource?.meta?.versionId !== undefined &&
    remoteId !== null &&
    `${resource.resourceType}/${resource.id ?? ''}` === remoteId
  )
    found.add(resource.meta.versionId);
  const [only] = found;
  return found.size === 1 && only !== undefined && VERSION_ID.test(only) ? only : null;
}

/** The Observation entries a transaction-response confirms; throws when the answer does not add up. */
export function confirmedEntries(
  response: Bundle,
  sent: SyncBundle,
  idBySeries: ReadonlyMap<string, string>,
): { observationId: string; remoteId: string | null; remoteVersion: string | null }[] {
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
    const remoteId = resourceIdOf(entries[ref.index]?.response?.location);
    return { observationId, remoteId, remoteVersion: versionOf(entries[ref.index], remoteId) };
  });
}

/** Server references (e.g. "Patient/123") the answer gives for the patients, staff and devices sent. */
export function sharedReferences(
  response: Bundle,
  sent: SyncBundle,
): { kind: SharedEntryRef['kind']; key: string; reference: string }[] {
  const found: { kind: SharedEntryRef['kind']; key: string; reference: string }[] = [];
  const expected = { patient: 'Patient', staff: 'Practitioner', device: 'Device' } as const;
  for (const ref of sent.shared) {
    const location = response.entry?.[ref.index]?.response?.location ?? '';
    const match = /(?:^|\/)(Patient|Practitioner|Device)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(
      location,
    );
    if (match && match[1] === expected[ref.kind])
      found.push({ kind: ref.kind, key: ref.key, reference: `${match[1]}/${match[2]}` });
  }
  return found;
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

/** What to do after a failed attempt. */
export type Verdict =
  | { readonly kind: 'retry'; readonly message: string; readonly status: number | null }
  /** The server refused the transaction's size: send fewer entries at a time. */
  | { readonly kind: 'too-large'; readonly message: string; readonly status: number | null }
  /**
   * Refused for good: `duplicate` when a conditional entry matched several server resources (two
   * patients with one MRN), `invalid` when the server found the data invalid.
   */
  | {
      readonly kind: 'set-aside';
      readonly reason: 'duplicate' | 'invalid' | 'other';
      readonly message: string;
      readonly status: number | null;
    };

export const DUPLICATE_PATIENT_MESSAGE =
  'Several patients on the FHIR server have this medical record number; ask the records office to merge them. This patient’s measurements wait until then.';
export const DUPLICATE_RECORD_MESSAGE =
  'Several records on the FHIR server match this measurement; ask the records office to merge them.';
export const INVALID_MESSAGE =
  'The FHIR server refused this measurement as invalid; ask the records office or IT to check it.';

/** Medplum: "Transaction requires strict isolation but has too many entries"; others say similar. */
const TOO_LARGE_TEXT =
  /too many entries|too many (operations|resources)|more .{0,40} than allowed|too large|exceeds? .{0,40}(size|limit|maximum)/i;

/**
 * Classifies a failed attempt. `usedIfMatch`: the request held a version precondition, so a 412 means the
 * record changed since it was read (read again and retry); without one a 412 means a conditional
 * create or update matched several resources, which no retry will change.
 */
export function classify(error: unknown, context: { usedIfMatch: boolean }): Verdict {
  const failure = failureOf(error);
  const status = failure.status;
  const text = error instanceof FhirRequestError ? error.outcomeText : '';
  if (status === 413 || ((status === 400 || status === 422) && TOO_LARGE_TEXT.test(text)))
    return { kind: 'too-large', message: 'The FHIR server refused a transaction as too large.', status };
  if (status === 412) {
    return context.usedIfMatch
      ? { kind: 'retry', message: failure.message, status }
      : { kind: 'set-aside', reason: 'duplicate', message: DUPLICATE_RECORD_MESSAGE, status };
  }
  if (failure.retryable) return { kind: 'retry', message: failure.message, status };
  if (status === 400 || status === 422)
    return { kind: 'set-aside', reason: 'invalid', message: INVALID_MESSAGE, status };
  return { kind: 'set-aside', reason: 'other', message: failure.message, status };
}
