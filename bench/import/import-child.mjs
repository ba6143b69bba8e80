/**
 * The app's import as the installed app runs it, for `npm run bench -- import`: plain Node (no TypeScript
 * loader in the process), the import worker thread started from its built bundle and opening the
 * database itself, its reader thread started from the same bundle. The nurse's "Import" is sent as soon
 * as the preview arrives. Timed until the worker answers "committed" (the data durable), then until it
 * has run its checkpoint and ended. Prints one JSON line with times, CPU and the process's peak RSS.
 * Arguments: worker bundle, database file, key (hex), audit key (hex), patient id, format, file to import,
 * the import thread's heap limit in MB (the app's).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const [
  bundle = '',
  file = '',
  keyHex = '',
  auditKeyHex = '',
  patientId = '',
  format = '',
  source = '',
  heapMb = '',
] = process.argv.slice(2);
const MAX_BYTES = 4 * 1024 ** 3;

const start = performance.now();
const cpuStart = process.cpuUsage();
/** @type {number | undefined} */ let previewAt;
/** @type {number | undefined} */ let committedAt;
/** @type {{ added: number; warnings: number } | undefined} */ let result;
/** @type {NodeJS.CpuUsage | undefined} */ let cpu;
const worker = new Worker(path.resolve(bundle), {
  workerData: {
    database: { file, key: Buffer.from(keyHex, 'hex'), auditKey: Buffer.from(auditKeyHex, 'hex') },
    job: { patientId, path: source, fileName: path.basename(source), format, maxBytes: MAX_BYTES },
  },
  resourceLimits: { maxOldGenerationSizeMb: Number(heapMb) },
});
await new Promise((resolve, reject) => {
  worker.on('message', (message) => {
    if (message.type === 'preview') {
      previewAt = performance.now();
      worker.postMessage({
        type: 'commit',
        importedBy: 'bench',
        confirmSubjectMismatch: false,
        now: new Date().toISOString(),
        audit: { actorUserId: 'bench', actorRole: 'nurse', workstation: 'bench' },
      });
    } else if (message.type === 'committed') {
      committedAt = performance.now();
      cpu = process.cpuUsage(cpuStart);
      result = message.result;
    } else if (message.type === 'failed' || message.type === 'cancelled') {
      reject(new Error(`the import ${message.type}: ${JSON.stringify(message.error ?? null)}`));
    }
  });
  worker.on('error', reject);
  worker.on('exit', resolve);
});
const endedAt = performance.now();
if (!result || !cpu || previewAt === undefined || committedAt === undefined)
  throw new Error('the import did not commit');
// VmHWM: the resident set's high-water mark, kept by Linux for the whole process (every thread).
const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
console.log(
  JSON.stringify({
    seconds: (committedAt - start) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    added: result.added,
    warnings: result.warnings,
    // The import's two phases: reading and staging the file (the preview), then the storing transaction.
    readingSeconds: (previewAt - start) / 1000,
    savingSeconds: (committedAt - previewAt) / 1000,
    checkpointSeconds: (endedAt - committedAt) / 1000,
    peakRssMb: peakKb / 1024,
  }),
);
