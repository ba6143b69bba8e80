import type { databaseChannels } from '../../../shared/ipc/channels/database';
import type { PatientDatabase } from '../../db/patient-database';
import type { Clock } from '../../platform/clock';
import type { Handlers } from '../dispatcher';

export function createDatabaseHandlers(deps: {
  database: () => PatientDatabase;
  clock: Clock;
}): Pick<Handlers, keyof typeof databaseChannels> {
  return {
    'database.rotateKey': async () => {
      await deps.database().rotateKey();
      return { rotatedAt: deps.clock.now().toISOString() };
    },
  };
}
