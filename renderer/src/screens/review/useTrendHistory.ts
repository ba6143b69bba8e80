import { useEffect, useState } from 'react';
import type { Observation } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { historyCodes } from './trends';

const CODES = historyCodes();

/**
 * The patient's history of every charted vital (one `observations.history` call per LOINC code),
 * reloaded when a value of this patient is recorded or corrected anywhere in the app.
 */
export function useTrendHistory(patientId: string | null): {
  byCode: ReadonlyMap<string, readonly Observation[]> | null;
  error: string | null;
} {
  const client = useClient();
  // Kept with the patient they belong to, so a switch never shows the previous patient's trends.
  const [loaded, setLoaded] = useState<{
    patientId: string;
    byCode: ReadonlyMap<string, readonly Observation[]>;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!patientId) return;
    let current = true;
    Promise.all([
      Promise.all(CODES.map((code) => client.invoke('observations.history', { patientId, code }))),
      // Values withdrawn as entered in error: kept in the lists (marked so) for the charts' "Show all".
      client.invoke('reviews.withdrawn', { patientId }),
    ]).then(
      ([lists, withdrawn]) => {
        if (!current) return;
        const byCode = new Map(CODES.map((code, i) => [code, [...(lists[i] ?? [])]]));
        for (const o of withdrawn) byCode.get(o.code)?.push(o);
        setLoaded({ patientId, byCode });
        setError(null);
      },
      (e: unknown) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [client, patientId, generation]);

  useEffect(() => {
    if (!patientId) return;
    // A short pause gathers the several observations one BP or oximeter reading records.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = client.on('observations.recorded', (event) => {
      if (event.patientId !== patientId) return;
      clearTimeout(timer);
      timer = setTimeout(() => setGeneration((g) => g + 1), 250);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [client, patientId]);

  return { byCode: loaded && loaded.patientId === patientId ? loaded.byCode : null, error };
}
