/**
 * A process that imports one home-data file into an encrypted database, printing what it is doing, so a
 * test can SIGKILL it at a chosen moment: `ready` once the database is open, `reading <records>` as the
 * file is read, `saving` as the one storing transaction begins, `done <added>` at the end.
 * Arguments: database file, key (hex), patient id, file to import.
 */
import { openDatabase } from '../../../main/db/connection';
import { importHomeFile } from '../../../main/import/service';

const [file = '', keyHex = '', patientId = '', source = ''] = process.argv.slice(2);
const db = openDatabase({ file, key: Buffer.from(keyHex, 'hex') });
process.stdout.write('ready\n');
let lastRecords = -1;
const result = await importHomeFile({
  db,
  patientId,
  path: source,
  importedBy: 'nurse-user-1',
  onProgress: (progress) => {
    if (progress.phase === 'saving') process.stdout.write('saving\n');
    else if (progress.records !== lastRecords) {
      lastRecords = progress.records;
      process.stdout.write(`reading ${progress.records}\n`);
    }
  },
});
process.stdout.write(`done ${result.added}\n`);
db.close();
