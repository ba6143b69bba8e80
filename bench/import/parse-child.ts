/**
 * Runs in its own process so its peak memory is its own. `parse <format> <file>` reads one home-data
 * file with the app's reader; `import <format> <file> <dir> [<worker bundle>]` runs the app's whole import (read, stage,
 * store in one transaction) into a new encrypted database in <dir>, timed until it returns (the data
 * committed and durable in the write-ahead log); the checkpoint the import worker runs after answering
 * is timed on its own. Prints one JSON line with time, counts and peak RSS.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../main/db/connection';
import { newId } from '../../main/db/ids';
import { checkpointAfterImport } from '../../main/db/repositories/home-observations';
import { readerFor } from '../../main/import/detect';
import { importHomeFile } from '../../main/import/service';
import { homeImportFormatSchema } from '../../shared/home-data/record';

function peakRssMb(): number {
  // VmHWM: the resident set's high-water mark, kept by Linux for the process.
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const MAX_BYTES = 4 * 1024 ** 3;
const [mode, formatArg, file = '', dir = '', readerBundle] = process.argv.slice(2);
const format = homeImportFormatSchema.parse(formatArg);

async function parse(): Promise<Record<string, unknown>> {
  const counts: Record<string, number> = {};
  let problems = 0;
  let firstProblem: string | undefined;
  for await (const event of readerFor(format)({ path: file, maxBytes: MAX_BYTES })) {
    if (event.type === 'record') counts[event.record.measure] = (counts[event.record.measure] ?? 0) + 1;
    else if (event.type === 'problem') {
      problems++;
      firstProblem ??= event.problem.message;
    }
  }
  return { counts, problems, firstProblem };
}

async function store(): Promise<Record<string, unknown>> {
  const db = openDatabase({ file: path.join(dir, 'bench.db'), key: randomBytes(32), integrityCheck: 'none' });
  const patientId = newId();
  db.prepare(
    `INSERT INTO patients (id, mrn, family, given, birth_date, sex, search_name, created_at, updated_at)
     VALUES (?, 'B-1', 'Bench', 'Jane', '1961-04-12', 'female', 'bench jane', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z')`,
  ).run(patientId);
  const result = await importHomeFile({
    db,
    patientId,
    path: file,
    format,
    maxBytes: MAX_BYTES,
    importedBy: 'bench',
    onProgress: (progress) => {
      if (progress.phase === 'saving') savingFrom ??= performance.now();
    },
    // The reader thread runs the app's built worker, as in the installed app (not the source through tsx).
    ...(readerBundle ? { readerScript: { script: pathToFileURL(readerBundle) } } : {}),
  });
  importedAt = performance.now();
  // What the import worker does after answering the nurse, timed on its own.
  const checkpointStart = performance.now();
  checkpointAfterImport(db);
  const checkpointSeconds = (performance.now() - checkpointStart) / 1000;
  const stored = db.prepare('SELECT count(*) FROM home_observations').pluck().get() as number;
  db.close();
  return {
    added: result.added,
    stored,
    warnings: result.warnings,
    checkpointSeconds,
    // The import's two phases: reading and staging the file (the preview), then the storing transaction.
    readingSeconds: ((savingFrom ?? NaN) - start) / 1000,
    savingSeconds: (importedAt - (savingFrom ?? NaN)) / 1000,
  };
}

/** When the import returned (its data committed and durable); the parse mode ends with the read. */
let importedAt: number | undefined;
/** When the storing transaction began. */
let savingFrom: number | undefined;

const start = performance.now();
const cpuStart = process.cpuUsage();
const outcome = mode === 'import' ? await store() : await parse();
const cpu = process.cpuUsage(cpuStart);
console.log(
  JSON.stringify({
    seconds: ((importedAt ?? performance.now()) - start) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...outcome,
    peakRssMb: peakRssMb(),
  }),
);
