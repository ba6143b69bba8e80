import type { syncChannels } from '../../../shared/ipc/channels/sync';
import type { SyncService } from '../../sync/service';
import type { Handlers } from '../dispatcher';

export function createSyncHandlers(deps: { sync: SyncService }): Pick<Handlers, keyof typeof syncChannels> {
  return {
    'sync.status': ({ observationIds }) => deps.sync.status(observationIds),
    'sync.now': () => deps.sync.runNow(),
    'sync.pullPatient': ({ patientId }) => deps.sync.pullPatient(patientId),
  };
}
