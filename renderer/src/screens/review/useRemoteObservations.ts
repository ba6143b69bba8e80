import { useCallback, useState } from 'react';
import type { RemoteObservation } from '../../../../shared/fhir/from-observation';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';

export interface RemoteState {
  /** Null until the clinician asks for them. */
  observations: readonly RemoteObservation[] | null;
  /** Observations on the server that could not be read as a vital sign. */
  skipped: number;
  loading: boolean;
  error: string | null;
  include: () => void;
}

/**
 * The patient's observations recorded at other workstations, fetched from the care team's FHIR server
 * only when the clinician asks (`sync.pullPatient`): the server may be slow or unreachable, and the
 * local record is shown without waiting for it.
 */
export function useRemoteObservations(patientId: string | null): RemoteState {
  const client = useClient();
  const [loaded, setLoaded] = useState<{
    patientId: string;
    observations: readonly RemoteObservation[];
    skipped: number;
  } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const include = useCallback(() => {
    if (!patientId) return;
    setLoading(true);
    setError(null);
    client.invoke('sync.pullPatient', { patientId }).then(
      (answer) => {
        setLoaded({ patientId, observations: answer.observations, skipped: answer.skipped });
        setLoading(false);
      },
      (e: unknown) => {
        setError(errorText(e));
        setLoading(false);
      },
    );
  }, [client, patientId]);

  const current = loaded && loaded.patientId === patientId ? loaded : null;
  return {
    observations: current?.observations ?? null,
    skipped: current?.skipped ?? 0,
    loading,
    error,
    include,
  };
}
