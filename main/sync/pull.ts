/** Pulling a patient's observations from the server, for the review screen; offline, the last copy. */
import { AppError } from '../../shared/ipc';
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

export async function pullPatient(
  deps: { outbox: Outbox; client: FhirClient; mrnSystem: string | undefined },
  patientId: string,
): Promise<PullResult> {
  const { outbox, client } = deps;
  const mrn = outbox.mrnOf(patientId);
  if (mrn === undefined) throw new AppError('NOT_FOUND', 'This patient could not be found.');
  try {
    const serverIds = (await patientsWithMrn(client, deps.mrnSystem, mrn))
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
}
