import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../shared/ipc/channels/sync';
import { useClient } from '../ipc/ClientContext';

/**
 * Sync with the care team's FHIR server: the queue, the last result, and the state of the given
 * observations. Asked again whenever main says the queue changed.
 */
export function useSyncStatus(observationIds: readonly string[]): SyncStatus | null {
  const client = useClient();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [generation, setGeneration] = useState(0);
  const key = observationIds.join(',');

  useEffect(() => client.on('sync.changed', () => setGeneration((g) => g + 1)), [client]);

  useEffect(() => {
    let current = true;
    client.invoke('sync.status', { observationIds: key ? key.split(',') : [] }).then(
      (s) => current && setStatus(s),
      // Sync state is a courtesy on screens about something else: a failure here must not disturb them.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, key, generation]);

  return status;
}

export type ObservationSyncState = SyncStatus['observations'][number]['state'];

const STATE_WORDS: Record<ObservationSyncState, string | null> = {
  sent: 'sent to care team',
  pending: 'waiting to send',
  superseded: null,
  rejected: 'refused by the care-team server',
  unknown: null,
};

export function syncWords(state: ObservationSyncState | undefined): string | null {
  return state ? STATE_WORDS[state] : null;
}
