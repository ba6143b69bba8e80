/**
 * Runs in its own process so its peak memory is its own. `parse <format> <file>` reads one home-data
 * file with the app's reader alone, timed, and prints one JSON line with time, counts and peak RSS.
 * Around the import (./import-child.mjs, which runs it as the installed app does): `prepare <dir>` makes
 * a new encrypted database in <dir> with one patient and prints its file, keys and patient id;
 * `count <file> <key>` prints how many home values it holds.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAuditStore } from '../../main/audit/audit-store';
import { openDatabase } from '../../main/db/connection';
import { newId } from '../../main/db/ids';
import { readerFor } from '../../main/import/detect';
import { homeImportFormatSchema } from '../../shared/home-data/record';

function peakRssMb(): number {
  // VmHWM: the resident set's high-water mark, kept by Linux for the process.
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const MAX_BYTES = 4 * 1024 ** 3;
const [mode, ...args] = process.argv.slice(2);

async function parse(formatArg = '', file = ''): Promise<Record<string, unknown>> {
  const format = homeImportFormatSchema.parse(formatArg);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpuStart);
  return {
    seconds: (performance.now() - start) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    counts,
    problems,
    firstProblem,
    peakRssMb: peakRssMb(),
  };
}

function prepare(dir = ''): Record<string, unknown> {
  const file = path.join(dir, 'bench.db');
  const key = randomBytes(32);
  const auditKey = randomBytes(32);
  const db = openDatabase({ file, key, integrityCheck: 'none' });
  // The trail's head signed under its key, as the app leaves it: the worker writes the import's record.
  createAuditStore(db, { key: auditKey, mayStart: true });
  const patientId = newId();
  db.prepare(
    `INSERT INTO patients (id, mrn, family, given, birth_date, sex, search_name, created_at, updated_at)
     VALUES (?, 'B-1', 'Bench', 'Jane', '1961-04-12', 'female', 'bench jane', '2016-01-01T00:00:00Z', '2016-01-01T00:00:00Z')`,
  ).run(patientId);
  db.close();
  return { file, key: key.toString('hex'), auditKey: auditKey.toString('hex'), patientId };
}

function count(file = '', keyHex = ''): Record<string, unknown> {
  const db = openDatabase({ file, key: Buffer.from(keyHex, 'hex'), integrityCheck: 'none' });
  const stored = db.prepare('SELECT count(*) FROM home_observations').pluck().get() as number;
  db.close();
  return { stored };
}

const outcome =
  mode === 'parse' ? await parse(...args) : mode === 'prepare' ? prepare(...args) : count(...args);
console.log(JSON.stringify(outcome));
