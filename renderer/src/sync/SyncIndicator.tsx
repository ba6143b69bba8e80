import { useClient } from '../ipc/ClientContext';
import { formatTime } from '../ui/format';
import { useSyncStatus } from './useSyncStatus';

/**
 * The header's word on sync: how many values, home values (and corrected patients or finished visits)
 * wait to reach the care team, and why if sending fails.
 */
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
  const updates = status.updatesWaiting;
  const home = status.homeData.waiting;
  const problem = status.lastError;
  const waitingWords = [
    waiting > 0 && `${waiting} value${waiting === 1 ? '' : 's'}`,
    // The patients' own values are counted apart, so a large import does not read as clinic work.
    home > 0 && `${home} home value${home === 1 ? '' : 's'}`,
    updates > 0 && `${updates} record update${updates === 1 ? '' : 's'}`,
  ]
    .filter(Boolean)
    .join(' and ');
  return (
    <span
      className={`sync-indicator ${problem && waitingWords ? 'problem' : 'ok'}`}
      role="status"
      data-testid="sync-indicator"
      title={problem ?? undefined}
    >
      {!waitingWords
        ? 'All values sent'
        : `${waitingWords} waiting to send${
            problem
              ? ` · last attempt failed${status.nextAttemptAt ? `, retry ${formatTime(status.nextAttemptAt)}` : ''}`
              : ''
          }`}
      {waitingWords && (
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
