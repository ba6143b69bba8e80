import { useCallback, useEffect, useState } from 'react';
import type { AuthStatus } from '../../../../shared/ipc/channels/auth';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';

/** This window's sign-in state, asked again whenever main says some window signed in, out, locked or unlocked. */
export function useAuth(): {
  status: AuthStatus | null;
  error: string | null;
  /** Replace the state with an answer main already gave (sign-in, unlock), or ask again. */
  refresh: (next?: AuthStatus) => void;
} {
  const client = useClient();
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () =>
      client.invoke('auth.status', {}).then(
        (s) => {
          setStatus(s);
          setError(null);
        },
        (e: unknown) => setError(errorText(e)),
      ),
    [client],
  );
  const refresh = useCallback(
    (next?: AuthStatus) => {
      if (next) setStatus(next);
      else void load();
    },
    [load],
  );
  useEffect(() => {
    void load();
    return client.on('auth.changed', () => void load());
  }, [client, load]);
  return { status, error, refresh };
}
