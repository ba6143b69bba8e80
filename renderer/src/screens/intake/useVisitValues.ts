import { useEffect, useMemo, useState } from 'react';
import type { Observation, ObservationKind } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';

/** One measurement with every version, first to current. */
export interface VisitSeries {
  seriesId: string;
  versions: readonly Observation[];
}

/**
 * Every value taken in the open visit, by kind, each with its versions (entered in error included):
 * what each card's History lists. Loaded again whenever a value of this patient is recorded or
 * corrected, here or at another window.
 */
export function useVisitValues(
  patientId: string | null,
  encounterId: string | null,
): { byKind: ReadonlyMap<ObservationKind, readonly VisitSeries[]>; error: string | null } {
  const client = useClient();
  const key = patientId ? `${patientId}/${encounterId ?? ''}` : '';
  // Kept with the visit they belong to, so another patient's History never shows this one's values.
  const [loaded, setLoaded] = useState<{ key: string; list: readonly VisitSeries[] }>({ key: '', list: [] });
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!patientId) return;
    let current = true;
    client.invoke('observations.inVisit', { patientId, ...(encounterId ? { encounterId } : {}) }).then(
      (list) => {
        if (!current) return;
        setLoaded({ key: `${patientId}/${encounterId ?? ''}`, list });
        setError(null);
      },
      (e: unknown) => current && setError(errorText(e)),
    );
    const off = client.on('observations.recorded', (event) => {
      if (event.patientId === patientId) setGeneration((g) => g + 1);
    });
    return () => {
      current = false;
      off();
    };
  }, [client, patientId, encounterId, generation]);

  const list = loaded.key === key ? loaded.list : EMPTY;
  const byKind = useMemo(() => {
    const map = new Map<ObservationKind, VisitSeries[]>();
    for (const series of list) {
      const kind = series.versions[0]?.kind;
      if (kind) map.set(kind, [...(map.get(kind) ?? []), series]);
    }
    return map;
  }, [list]);
  return { byKind, error };
}

const EMPTY: readonly VisitSeries[] = [];
