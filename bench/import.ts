/**
 * `npm run bench -- import`: reading patients' home data.
 * - a 1 GB Apple Health export.xml (generated, ~3.8 million records, ~85 % steps, energy and distance):
 *   the app's whole import into an encrypted database, run as the installed app runs it (a plain Node
 *   process starts the built import worker under the app's heap limit; it reads the file, stages in
 *   batches in an encrypted staging file and stores in one transaction), and its reader alone, each in a process of
 *   its own: time and peak RSS (the whole process, every thread);
 * - the same file through Python's xml.etree.ElementTree.iterparse, as the popular open-source Apple
 *   Health parsers read it, in the same run, and the ratio of the two;
 * - one year of CGM at 5-minute intervals (105,120 readings) from a Dexcom Clarity CSV, imported.
 * Inputs are generated into a temporary folder and removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readDexcomClarity } from '../main/import/formats/dexcom-clarity';
import { IMPORT_HEAP_MB } from '../main/import/worker-client';
import { writeAppleHealthXml } from '../test/sim/home-data/apple-health';
import { writeDexcomClarityCsv } from '../test/sim/home-data/cgm';
import { createReport } from './report';

// A smaller size can be given to try the bench quickly; the committed figures are for 1 GiB.
const XML_BYTES = Number(process.env.BENCH_IMPORT_XML_BYTES ?? 1024 ** 3);
const CGM_READINGS = 365 * 288;
const benchDir = path.dirname(new URL(import.meta.url).pathname);

interface ChildResult {
  seconds: number;
  cpuSeconds?: number;
  peakRssMb: number;
  counts?: Record<string, number>;
  records?: number;
  added?: number;
  stored?: number;
  /** After the import returned: the checkpoint the import worker runs once the nurse has her answer. */
  checkpointSeconds?: number;
  /** Reading and staging the file (what the preview waits for), then the storing transaction. */
  readingSeconds?: number;
  savingSeconds?: number;
  problems?: number;
  firstProblem?: string;
}

function runJson(command: string, args: string[]): ChildResult {
  const out = execFileSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const last = out.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(last) as ChildResult;
}

export default async function bench(): Promise<void> {
  const report = createReport('import');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const load: Record<string, number[]> = { start: os.loadavg() };
  try {
    const xml = path.join(dir, 'export.xml');
    const generateStart = performance.now();
    const generated = await writeAppleHealthXml(xml, { targetBytes: XML_BYTES, seed: 2026 });
    const generateSeconds = (performance.now() - generateStart) / 1000;
    console.log(
      `generated ${generated.bytes} bytes, ${generated.records} records in ${generateSeconds.toFixed(1)} s`,
    );

    // The import worker as the app ships it, from the built bundle.
    execFileSync('npx', ['vite', 'build', '--config', 'vite.main.config.ts', '--logLevel', 'warn'], {
      cwd: path.join(benchDir, '..'),
      stdio: 'inherit',
    });
    const workerBundle = path.join(benchDir, '..', 'dist', 'main', 'home-import-worker.js');
    const parseChild = path.join(benchDir, 'import', 'parse-child.ts');
    const parseOnly = (format: string, file: string): ChildResult =>
      runJson(process.execPath, ['--import', 'tsx', parseChild, 'parse', format, file]);
    // The import runs as in the installed app: a plain Node process starts the built import worker.
    const child = (_mode: 'import', format: string, file: string): ChildResult => {
      const db = runJson(process.execPath, [
        '--import',
        'tsx',
        parseChild,
        'prepare',
        mkdtempSync(path.join(dir, 'db-')),
      ]) as unknown as { file: string; key: string; auditKey: string; patientId: string };
      const result = runJson(process.execPath, [
        path.join(benchDir, 'import', 'import-child.mjs'),
        workerBundle,
        db.file,
        db.key,
        db.auditKey,
        db.patientId,
        format,
        file,
        String(IMPORT_HEAP_MB),
      ]);
      const { stored } = runJson(process.execPath, ['--import', 'tsx', parseChild, 'count', db.file, db.key]);
      return { ...result, ...(stored !== undefined ? { stored } : {}) };
    };

    load.beforeImport = os.loadavg();
    const imported = child('import', 'apple-health', xml);
    load.beforeParse = os.loadavg();
    const parsed = parseOnly('apple-health', xml);
    if (parsed.problems) throw new Error(`the reader reported problems: ${parsed.firstProblem ?? ''}`);
    load.beforePython = os.loadavg();
    const python = runJson('python3', [path.join(benchDir, 'import', 'iterparse.py'), xml]);
    load.afterPython = os.loadavg();

    report.figure('apple_health_1gb_import', imported.seconds, 's', '<', 90);
    report.figure('apple_health_1gb_import_peak_rss', imported.peakRssMb, 'MB', '<', 400);
    // Including the checkpoint the worker runs after answering, for those who count it in.
    report.figure(
      'apple_health_1gb_import_and_checkpoint',
      imported.seconds + (imported.checkpointSeconds ?? NaN),
      's',
      '<',
      90,
    );
    report.figure('apple_health_1gb_parse_only', parsed.seconds, 's', '<', 90);
    report.figure('apple_health_1gb_parse_peak_rss', parsed.peakRssMb, 'MB', '<', 400);
    report.figure('python_iterparse_1gb', python.seconds, 's', '>', 0);
    report.figure('apple_health_import_vs_python_parse', imported.seconds / python.seconds, 'x', '<=', 1);
    // The same ratio in CPU time: less disturbed by other load on a shared machine.
    report.figure(
      'apple_health_import_vs_python_parse_cpu',
      (imported.cpuSeconds ?? NaN) / (python.cpuSeconds ?? NaN),
      'x',
      '<=',
      1,
    );
    report.figure('apple_health_parse_vs_python_parse', parsed.seconds / python.seconds, 'x', '<=', 1);

    const csv = path.join(dir, 'clarity.csv');
    await writeDexcomClarityCsv(csv, { readings: CGM_READINGS, seed: 2026 });
    const cgmStart = performance.now();
    let readings = 0;
    for await (const event of readDexcomClarity({ path: csv, maxBytes: 1024 ** 3 })) {
      if (event.type === 'record') readings++;
      else if (event.type === 'problem') throw new Error(event.problem.message);
    }
    const cgmSeconds = (performance.now() - cgmStart) / 1000;
    if (readings !== CGM_READINGS) throw new Error(`read ${readings} CGM readings of ${CGM_READINGS}`);
    const cgmImport = child('import', 'dexcom-clarity', csv);
    if (cgmImport.added !== CGM_READINGS) throw new Error(`stored ${String(cgmImport.added)} CGM readings`);
    report.figure('cgm_year_105k_import', cgmImport.seconds, 's', '<', 5);
    report.figure(
      'cgm_year_105k_import_and_checkpoint',
      cgmImport.seconds + (cgmImport.checkpointSeconds ?? NaN),
      's',
      '<',
      5,
    );
    report.figure('cgm_year_105k_parse_only', cgmSeconds, 's', '<', 5);

    load.end = os.loadavg();
    // Figures from a busy machine are not comparable: say how busy it was.
    for (const [moment, avg] of Object.entries(load)) {
      console.log(
        `load average ${moment}: ${avg.map((v) => v.toFixed(2)).join(' ')} (${os.cpus().length} cpus)`,
      );
    }
    report.write({
      scope:
        'import = the whole import as the installed app runs it, until the import worker answers that it is committed and durable (a plain Node process starts the built worker; the file is read and staged in batches in an encrypted staging file or in memory for a small plain file, stored in one transaction into an encrypted database); the checkpoint the worker runs after answering is timed apart; each in a process of its own; parse only = the reader alone',
      appleHealth: {
        bytes: generated.bytes,
        records: generated.records,
        generatedKinds: generated.counts,
        recordsEmitted: parsed.counts,
        recordsStored: imported.stored,
        importCpuSeconds: imported.cpuSeconds,
        checkpointSeconds: imported.checkpointSeconds,
        readingSeconds: imported.readingSeconds,
        savingSeconds: imported.savingSeconds,
        parseCpuSeconds: parsed.cpuSeconds,
        pythonSeconds: python.seconds,
        pythonCpuSeconds: python.cpuSeconds,
        pythonPeakRssMb: python.peakRssMb,
        pythonRecordElements: python.records,
        generateSeconds,
      },
      cgm: {
        readings: CGM_READINGS,
        parseSeconds: cgmSeconds,
        importSeconds: cgmImport.seconds,
        checkpointSeconds: cgmImport.checkpointSeconds,
        readingSeconds: cgmImport.readingSeconds,
        savingSeconds: cgmImport.savingSeconds,
        importPeakRssMb: cgmImport.peakRssMb,
      },
      loadAverage: load,
      cpus: os.cpus().length,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
