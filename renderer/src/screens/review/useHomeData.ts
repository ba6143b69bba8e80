import { useEffect, useState } from 'react';
import type {
  HomeImportRecord,
  HomeObservation,
  HomeSource,
} from '../../../../shared/home-data/import-summary';
import type { StoredEcg } from '../../../../shared/home-data/ecg';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';

export interface HomeDataState {
  observations: readonly HomeObservation[];
  sources: readonly HomeSource[];
  imports: readonly HomeImportRecord[];
  ecgs: readonly StoredEcg[];
  truncated: boolean;
  error: string | null;
}

const EMPTY: HomeDataState = {
  observations: [],
  sources: [],
  imports: [],
  ecgs: [],
  truncated: false,
  error: null,
};
/** The widest trend range (1 year), and a day ahead for a device clock slightly fast. */
const YEAR_MS = 366 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** The patient's home data (patient-generated values) over the last year, for the trends beside the clinic's. */
export function useHomeData(patientId: string | null): HomeDataState {
  const client = useClient();
  const [state, setState] = useState<{ patientId: string; data: HomeDataState } | null>(null);
  useEffect(() => {
    if (!patientId) return;
    let live = true;
    const now = Date.now();
    client
      .invoke('homeData.forPatient', {
        patientId,
        from: new Date(now - YEAR_MS).toISOString(),
        to: new Date(now + DAY_MS).toISOString(),
      })
      .then(
        (answer) => live && setState({ patientId, data: { ...answer, error: null } }),
        (e: unknown) => live && setState({ patientId, data: { ...EMPTY, error: errorText(e) } }),
      );
    return () => {
      live = false;
    };
  }, [client, patientId]);
  return state && state.patientId === patientId ? state.data : EMPTY;
}
