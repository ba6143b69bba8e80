/**
 * A process that imports one home-data file into an encrypted database, printing what it is doing, so a
 * test can SIGKILL it at a chosen moment: `ready` once the database is open, `reading <records>` as the
 * file is read, `saving` as the one storing transaction begins, `done <added>` at the end (then, with
 * HOLD_AFTER_DONE set, it waits to be killed before any checkpoint or close).
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
  // Staged in the encrypted staging file whatever the file's size: the kill tests look for it.
  stageInMemory: false,
  onProgress: (progress) => {
    if (progress.phase === 'saving') process.stdout.write('saving\n');
    else if (progress.records !== lastRecords) {
      lastRecords = progress.records;
      process.stdout.write(`reading ${progress.records}\n`);
    }
  },
});
process.stdout.write(`done ${result.added}\n`);
// HOLD_AFTER_DONE: wait to be killed with the import committed and its checkpoint not yet run.
if (process.env.HOLD_AFTER_DONE) setInterval(() => undefined, 1000);
else db.close();
