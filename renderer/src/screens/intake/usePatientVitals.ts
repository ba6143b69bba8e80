import { useEffect, useMemo, useState } from 'react';
import type { Observation, ObservationKind } from '../../../../shared/records';
import { latestByKind } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';

/**
 * The patient's latest value of each vital, kept current by `observations.recorded` events, so a value
 * saved at another window or accepted from a device shows at once.
 */
export function usePatientVitals(patientId: string | null): {
  latest: Map<ObservationKind, Observation>;
  error: string | null;
  apply: (observation: Observation) => void;
} {
  const client = useClient();
  // Kept with the patient they belong to, so a switch never shows the previous patient's values.
  const [loaded, setLoaded] = useState<{ patientId: string | null; list: Observation[] }>({
    patientId: null,
    list: [],
  });
  const observations = loaded.patientId === patientId ? loaded.list : EMPTY;
  const setObservations = (update: (list: Observation[]) => Observation[]) =>
    setLoaded((l) => ({ patientId, list: update(l.patientId === patientId ? l.list : []) }));
  const [error, setError] = useState<string | null>(null);
  // A value marked entered in error leaves its kind to the previous valid one, which only main knows:
  // each such withdrawal asks main for the latest values again.
  const [withdrawals, setWithdrawals] = useState(0);

  useEffect(() => {
    if (!patientId) return;
    let current = true;
    client.invoke('observations.latest', { patientId }).then(
      (list) => {
        if (current) setLoaded({ patientId, list });
      },
      (e: unknown) => current && setError(errorText(e)),
    );
    const off = client.on('observations.recorded', (event) => {
      if (event.patientId !== patientId) return;
      setLoaded((l) => ({
        patientId,
        list: merge(l.patientId === patientId ? l.list : [], event.observation),
      }));
      if (event.observation.status === 'entered-in-error') setWithdrawals((n) => n + 1);
    });
    return () => {
      current = false;
      off();
    };
  }, [client, patientId, withdrawals]);

  const latest = useMemo(() => latestByKind(observations), [observations]);
  return {
    latest,
    error,
    apply: (o) => {
      setObservations((list) => merge(list, o));
      if (o.status === 'entered-in-error') setWithdrawals((n) => n + 1);
    },
  };
}

const EMPTY: Observation[] = [];

/** A new version replaces the one it corrects; a new measurement joins the list. */
function merge(list: Observation[], observation: Observation): Observation[] {
  if (list.some((o) => o.id === observation.id)) return list;
  return [...list.filter((o) => o.seriesId !== observation.seriesId), observation];
}
