/**
 * Child process for the durability test: records observations one by one and prints each id only
 * after recordObservation has returned (the commit is acknowledged). The parent kills it with SIGKILL.
 * Arguments: <db file> <patient id>; the key comes as hex in VITALS_TEST_DB_KEY.
 */
import { openDatabase } from '../../../main/db/connection';
import { observationRepository } from '../../../main/db/repositories/observations';
import { recordAcknowledgedForever } from './acknowledged-writes';

const [file, patientId] = process.argv.slice(2);
const key = Buffer.from(process.env.VITALS_TEST_DB_KEY ?? '', 'hex');
if (!file || !patientId) throw new Error('usage: durability-writer <file> <patientId>');
const db = openDatabase({ file, key, integrityCheck: 'none' });
await recordAcknowledgedForever(observationRepository(db), patientId, 'durability-writer');
