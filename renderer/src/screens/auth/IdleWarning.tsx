import { useEffect, useState } from 'react';
import { useClient } from '../../ipc/ClientContext';

/** How long before the idle lock the warning shows. */
export const IDLE_WARNING_MS = 30_000;
/** How often main is asked how long is left (its clock decides, not this window's). */
const CHECK_EVERY_MS = 5_000;

/**
 * "The screen locks in 25 s" with "Stay signed in", shown in the last 30 s before main's idle lock.
 * Staying tells main the user is here; locking itself stays main's decision.
 */
export function IdleWarning() {
  const client = useClient();
  const [leftMs, setLeftMs] = useState<number | null>(null);
  useEffect(() => {
    let stopped = false;
    const check = () =>
      client.invoke('auth.status', {}).then(
        (s) => !stopped && setLeftMs(s.state === 'signed-in' ? (s.idleLockInMs ?? null) : null),
        () => undefined,
      );
    void check();
    const timer = setInterval(() => void check(), CHECK_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client]);

  if (leftMs === null || leftMs > IDLE_WARNING_MS) return null;
  const stay = () =>
    void client.invoke('auth.activity', {}).then(
      () => setLeftMs(null),
      () => undefined,
    );
  return (
    <div className="idle-warning" role="alert" data-testid="idle-warning">
      <p>
        Nothing typed for a while: the screen locks in about {Math.max(1, Math.ceil(leftMs / 1000))} s. Your
        work stays and comes back when you unlock.
      </p>
      <button type="button" onClick={stay}>
        Stay signed in
      </button>
    </div>
  );
}
