/** Pulling a patient's observations from the server, for the review screen; offline, the last copy. */
import { AppError } from '../../shared/ipc';
import type { PatientMappingOptions } from '../../shared/fhir/patient';
import { tryFromFhirObservation, type RemoteObservation } from '../../shared/fhir/from-observation';
import { FhirRequestError, type FhirClient } from './fhir-client';
import type { Outbox } from './outbox';
import { patientsWithMrn } from './send';

export interface PullResult {
  readonly observations: RemoteObservation[];
  /** Server observations that could not be mapped (unknown code, unit, not final...). */
  readonly skipped: number;
  /** Set when the server could not be reached and these are the ones fetched last time. */
  readonly fromCache?: true;
}

export const PULL_CONFLICT_MESSAGE =
  'Several patients on the FHIR server have this medical record number, so their values are not shown here: they may be different people. Ask the records office to merge or correct them.';

/** Pages of one patient's observations read at most (200 each): a bound on what one pull may fetch. */
const MAX_OBSERVATION_PAGES = 10;

export async function pullPatient(
  deps: { outbox: Outbox; client: FhirClient; systems: PatientMappingOptions },
  patientId: string,
): Promise<PullResult> {
  const { outbox, client } = deps;
  const mrn = outbox.mrnOf(patientId);
  if (mrn === undefined) throw new AppError('NOT_FOUND', 'This patient could not be found.');
  let serverIds: string[];
  try {
    serverIds = (await patientsWithMrn(client, deps.systems.mrnSystem, mrn))
      .map((p) => p.id)
      .filter((id): id is string => typeof id === 'string');
  } catch (error) {
    return offline(outbox, patientId, error);
  }
  // Two server patients with one MRN may be two people: showing both one's values as this patient's
  // would merge them. Only one search is made, however many there are.
  if (serverIds.length > 1) throw new AppError('CONFLICT', PULL_CONFLICT_MESSAGE);
  const observations: RemoteObservation[] = [];
  let skipped = 0;
  try {
    for (const id of serverIds) {
      const pages = await client.search(
        'Observation',
        `subject=${encodeURIComponent(`Patient/${id}`)}&_count=200`,
        MAX_OBSERVATION_PAGES,
      );
      for (const entry of pages.flatMap((p) => p.entry ?? [])) {
        if (entry.resource?.resourceType !== 'Observation') continue;
        // The subject must be the one asked for: a server answer naming someone else is not shown.
        const mapped = tryFromFhirObservation(entry.resource, deps.systems);
        if (mapped.ok && mapped.observation.subjectReference === `Patient/${id}`)
          observations.push(mapped.observation);
        else skipped += 1;
      }
    }
  } catch (error) {
    return offline(outbox, patientId, error);
  }
  observations.sort((a, b) => b.effectiveAt.localeCompare(a.effectiveAt));
  outbox.saveRemote(patientId, observations);
  return { observations, skipped };
}

/** Offline: what was fetched before is still worth showing, marked as such. */
function offline(outbox: Outbox, patientId: string, error: unknown): PullResult {
  if (!(error instanceof FhirRequestError)) throw error;
  const cached = outbox.remoteObservations(patientId);
  if (cached.length > 0) return { observations: cached, skipped: 0, fromCache: true };
  throw new AppError('UNAVAILABLE', error.message);
}
