/**
 * Child process for the rotation kill test: opens the patient database as the app does (wrapped key,
 * recovery of an interrupted rotation), then records an observation, prints its id once the commit
 * has returned, rotates the key through the app's own handler (which writes the rotation's audit record
 * into the re-encrypted copy), prints `rotated`, and repeats until the parent SIGKILLs it.
 * Arguments: <data dir> <patient id>; the test keychain's master key comes as hex in
 * VITALS_TEST_KEYCHAIN. With VITALS_KILL_AT_RECORD=1 the process kills itself (SIGKILL) the moment the
 * first rotation's audit record is in the copy, before the copy is synced and put in force.
 */
import { writeSync } from 'node:fs';
import { createAuditRecorder, type AuditRecorder } from '../../../main/audit/recorder';
import { wrappedKeyProvider } from '../../../main/db/keys';
import { openPatientDatabase } from '../../../main/db/patient-database';
import { observationRepository } from '../../../main/db/repositories/observations';
import { createDatabaseHandlers } from '../../../main/ipc/handlers/database';
import { memoryLogger } from '../../../main/logging/logger';
import { systemClock } from '../../../main/platform/clock';
import { recordAcknowledgedForever } from './acknowledged-writes';
import { aesKeychain } from '../../support/aes-keychain';

const [dataDir, patientId] = process.argv.slice(2);
const master = Buffer.from(process.env.VITALS_TEST_KEYCHAIN ?? '', 'hex');
if (!dataDir || !patientId || master.length !== 32)
  throw new Error('usage: rotation-writer <dir> <patientId>');
const killAtRecord = process.env.VITALS_KILL_AT_RECORD === '1';

const logger = memoryLogger();
const database = await openPatientDatabase({
  dataDir,
  keyProvider: wrappedKeyProvider({ dir: dataDir, ...aesKeychain(master) }),
  logger,
  open: { integrityCheck: 'none' },
});
// Only the copy's trail is written to here: the records this loop makes carry no audit record.
const recorder = createAuditRecorder({
  store: () => undefined,
  clock: systemClock,
  workstation: () => 'rotation-writer',
  logger,
});
const audit: Pick<AuditRecorder, 'recordInto'> = {
  recordInto(store, event) {
    const record = recorder.recordInto(store, event);
    if (killAtRecord) process.kill(process.pid, 'SIGKILL');
    return record;
  },
};
const rotate = createDatabaseHandlers({
  database: () => database,
  audit,
  actorOf: () => ({ userId: 'admin-1', role: 'admin' }),
})['database.rotateKey'];
await recordAcknowledgedForever(
  observationRepository(database.db),
  patientId,
  'rotation-writer',
  async () => {
    await rotate({}, { senderId: 'admin-window' });
    writeSync(1, 'rotated\n');
  },
);
