import { useClient } from '../ipc/ClientContext';
import { formatTime } from '../ui/format';
import { useSyncStatus } from './useSyncStatus';

/** The header's word on sync: how many values wait to reach the care team, and why if sending fails. */
export function SyncIndicator() {
  const client = useClient();
  const status = useSyncStatus([]);
  if (!status) return null;
  if (!status.configured) {
    return (
      <span className="sync-indicator off" data-testid="sync-indicator">
        Care-team sync not set up
      </span>
    );
  }
  const waiting = status.queueLength;
  const problem = status.lastError;
  return (
    <span
      className={`sync-indicator ${problem && waiting > 0 ? 'problem' : 'ok'}`}
      role="status"
      data-testid="sync-indicator"
      title={problem ?? undefined}
    >
      {waiting === 0
        ? 'All values sent'
        : `${waiting} value${waiting === 1 ? '' : 's'} waiting to send${
            problem
              ? ` · last attempt failed${status.nextAttemptAt ? `, retry ${formatTime(status.nextAttemptAt)}` : ''}`
              : ''
          }`}
      {waiting > 0 && (
        <button
          type="button"
          className="link"
          onClick={() => void client.invoke('sync.now', {}).catch(() => undefined)}
        >
          Send now
        </button>
      )}
    </span>
  );
}
