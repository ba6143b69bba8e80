/**
 * Child process for the durability test: records observations one by one and prints each id only
 * after recordObservation has returned (the commit is acknowledged). The parent kills it with SIGKILL.
 * Arguments: <db file> <patient id>; the key comes as hex in VITALS_TEST_DB_KEY.
 */
import { writeSync } from 'node:fs';
import { openDatabase } from '../../../main/db/connection';
import { observationRepository } from '../../../main/db/repositories/observations';

const [file, patientId] = process.argv.slice(2);
const key = Buffer.from(process.env.VITALS_TEST_DB_KEY ?? '', 'hex');
if (!file || !patientId) throw new Error('usage: durability-writer <file> <patientId>');
const db = openDatabase({ file, key, integrityCheck: 'none' });
const observations = observationRepository(db);
writeSync(1, 'ready\n');
for (let i = 0; ; i++) {
  const observation = observations.recordObservation(
    {
      patientId,
      kind: 'heartRate',
      value: 40 + (i % 100),
      effectiveAt: new Date().toISOString(),
      method: 'manual',
    },
    'durability-writer',
  );
  // writeSync: the line is in the pipe before the next write starts, so nothing acknowledged is lost in a buffer.
  writeSync(1, `${observation.id}\n`);
}
