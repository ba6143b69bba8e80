import type { databaseChannels } from '../../../shared/ipc/channels/database';
import { AppError } from '../../../shared/ipc/errors';
import { createAuditStore } from '../../audit/audit-store';
import { AUDIT_NOT_RECORDED_CHANGE } from '../../audit/atomic-writes';
import type { AuditActor, AuditRecorder } from '../../audit/recorder';
import type { PatientDatabase } from '../../db/patient-database';
import type { Handlers } from '../dispatcher';

export function createDatabaseHandlers(deps: {
  database: () => PatientDatabase;
  audit: Pick<AuditRecorder, 'recordInto'>;
  actorOf: (senderId: string) => AuditActor;
}): Pick<Handlers, keyof typeof databaseChannels> {
  return {
    'database.rotateKey': async (_request, context) => {
      const database = deps.database();
      let rotatedAt: string | undefined;
      // The record is written into the re-encrypted file before it is put in force: the new key and
      // its record take effect together, or neither does.
      await database.rotateKey((copy) => {
        const record = deps.audit.recordInto(createAuditStore(copy, database.auditHead), {
          actor: deps.actorOf(context.senderId),
          action: 'database.rotateKey',
          outcome: 'success',
        });
        if (!record) throw new AppError('UNAVAILABLE', AUDIT_NOT_RECORDED_CHANGE);
        rotatedAt = record.at;
      });
      if (!rotatedAt) throw new AppError('INTERNAL', 'The key change was not confirmed.');
      return { rotatedAt };
    },
  };
}
