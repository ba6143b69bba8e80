/**
 * Child process for the rotation kill test: opens the patient database as the app does (wrapped key,
 * recovery of an interrupted rotation), then records an observation, prints its id once the commit
 * has returned, rotates the key, prints `rotated`, and repeats until the parent SIGKILLs it.
 * Arguments: <data dir> <patient id>; the test keychain's master key comes as hex in
 * VITALS_TEST_KEYCHAIN.
 */
import { writeSync } from 'node:fs';
import { wrappedKeyProvider } from '../../../main/db/keys';
import { openPatientDatabase } from '../../../main/db/patient-database';
import { observationRepository } from '../../../main/db/repositories/observations';
import { memoryLogger } from '../../../main/logging/logger';
import { recordAcknowledgedForever } from './acknowledged-writes';
import { aesKeychain } from '../../support/aes-keychain';

const [dataDir, patientId] = process.argv.slice(2);
const master = Buffer.from(process.env.VITALS_TEST_KEYCHAIN ?? '', 'hex');
if (!dataDir || !patientId || master.length !== 32)
  throw new Error('usage: rotation-writer <dir> <patientId>');

const database = await openPatientDatabase({
  dataDir,
  keyProvider: wrappedKeyProvider({ dir: dataDir, ...aesKeychain(master) }),
  logger: memoryLogger(),
  open: { integrityCheck: 'none' },
});
await recordAcknowledgedForever(
  observationRepository(database.db),
  patientId,
  'rotation-writer',
  async () => {
    await database.rotateKey();
    writeSync(1, 'rotated\n');
  },
);
