import { useCallback, useEffect, useState } from 'react';
import { errorText } from './errors';

/** Loads something from main, reloads on demand, and keeps the last good value while reloading. */
export function useLoad<T>(
  load: (() => Promise<T>) | null,
  deps: readonly unknown[],
): {
  data: T | null;
  error: string | null;
  reload: () => void;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    if (!load) return;
    let current = true;
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
      },
      (e: unknown) => {
        if (current) setError(errorText(e));
      },
    );
    return () => {
      current = false;
    };
    // The caller lists what the load depends on; `load` itself is a new closure every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);

  return { data: load ? data : null, error, reload };
}
