import { useCallback, useEffect, useState } from 'react';
import type { Health } from '../../../shared/ipc/channels/app';
import { useClient, useEvent } from '../ipc/ClientContext';

/** Health of the core, fetched over the bridge and refreshed on each heartbeat. */
export function useHealth(): { health: Health | null; error: string | null; alive: boolean } {
  const client = useClient();
  const heartbeat = useEvent('app.heartbeat');
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    client
      .invoke('app.health', {})
      .then((h) => {
        setHealth(h);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : 'The workstation did not answer.'));
  }, [client]);
  useEffect(refresh, [refresh, heartbeat]);
  return { health, error, alive: health !== null && error === null };
}
