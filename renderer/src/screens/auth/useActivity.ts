import { useEffect } from 'react';
import { useClient } from '../../ipc/ClientContext';

/** At most one activity ping per this many ms: enough to keep the idle lock away while someone works. */
const PING_EVERY_MS = 20_000;

/**
 * Tells main the user is here on keyboard, pointer or wheel input, so the idle lock waits. Main alone
 * decides when to lock; this only reports input.
 */
export function useActivity(active: boolean): void {
  const client = useClient();
  useEffect(() => {
    if (!active) return;
    let last = 0;
    const ping = () => {
      const now = Date.now();
      if (now - last < PING_EVERY_MS) return;
      last = now;
      client.invoke('auth.activity', {}).catch(() => undefined);
    };
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, ping, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, ping);
    };
  }, [client, active]);
}
