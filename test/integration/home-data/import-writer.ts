/**
 * A process that imports one home-data file into an encrypted database, printing what it is doing, so a
 * test can SIGKILL it at a chosen moment: `ready` once the database is open, `reading <records>` as the
 * file is read, `saving` as the one storing transaction begins, `done <added>` at the end.
 * HOLD_AT stops it where the test kills it, whatever this machine's speed, and says so on a line of its
 * own: `reading` holds after HOLD_AFTER_RECORDS records were read (`held reading <records>`), `storing`
 * inside the storing transaction once every row is written, before it commits (`held storing`), and
 * `done` after the import answered, before any checkpoint or close.
 * Arguments: database file, key (hex), patient id, file to import.
 */
import { openDatabase } from '../../../main/db/connection';
import { detectHomeImportFormat, readerFor } from '../../../main/import/detect';
import type { HomeImportReader } from '../../../main/import/formats/events';
import { stageHomeFile } from '../../../main/import/service';

const [file = '', keyHex = '', patientId = '', source = ''] = process.argv.slice(2);
const holdAt = process.env.HOLD_AT;
const holdAfterRecords = Number(process.env.HOLD_AFTER_RECORDS ?? 30_000);

/** Says where it holds, then blocks this process (timers and I/O included) until it is killed. */
function holdHere(line: string): never {
  process.stdout.write(`${line}\n`);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}

const db = openDatabase({ file, key: Buffer.from(keyHex, 'hex') });
process.stdout.write('ready\n');
const format = await detectHomeImportFormat(source);
if (typeof format !== 'string') throw new Error(`not an export: ${format.unknown}`);
const formatReader = readerFor(format);
// The format's own reader, stopped after a number of records rather than a time: the kill lands with
// batches staged and the file not yet read through, on a fast machine as on a slow one.
const reader: HomeImportReader = async function* (input) {
  let records = 0;
  for await (const event of formatReader(input)) {
    if (event.type === 'record' && ++records > holdAfterRecords && holdAt === 'reading')
      holdHere(`held reading ${records - 1}`);
    yield event;
  }
};
let lastRecords = -1;
const staged = await stageHomeFile({
  db,
  patientId,
  path: source,
  // Staged in the encrypted staging file whatever the file's size: the kill tests look for it.
  stageInMemory: false,
  reader,
  onProgress: (progress) => {
    if (progress.phase === 'saving') process.stdout.write('saving\n');
    else if (progress.records !== lastRecords) {
      lastRecords = progress.records;
      process.stdout.write(`reading ${progress.records}\n`);
    }
  },
});
const result = staged.commit({
  importedBy: 'nurse-user-1',
  // Called inside the storing transaction, after its last row: the latest moment before it commits.
  record: () => {
    if (holdAt === 'storing') holdHere('held storing');
  },
});
staged.discard();
process.stdout.write(`done ${result.added}\n`);
// Killed with the import committed and its checkpoint not yet run.
if (holdAt === 'done') holdHere('held done');
db.close();
