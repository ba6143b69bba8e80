/**
 * Runs in its own process so its peak memory is its own: reads one home-data file with the app's reader
 * (or, when given, the whole import with storage) and prints one JSON line with time, counts and peak RSS.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { readerFor } from '../../main/import/detect';
import { homeImportFormatSchema } from '../../shared/home-data/record';

function peakRssMb(): number {
  // VmHWM: the resident set's high-water mark, kept by Linux for the process.
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const [format, file] = process.argv.slice(2);
const reader = readerFor(homeImportFormatSchema.parse(format));
const start = performance.now();
const cpuStart = process.cpuUsage();
const counts: Record<string, number> = {};
let problems = 0;
let firstProblem: string | undefined;
for await (const event of reader({ path: file ?? '', maxBytes: 4 * 1024 ** 3 })) {
  if (event.type === 'record') counts[event.record.measure] = (counts[event.record.measure] ?? 0) + 1;
  else if (event.type === 'problem') {
    problems++;
    firstProblem ??= event.problem.message;
  }
}
const cpu = process.cpuUsage(cpuStart);
console.log(
  JSON.stringify({
    seconds: (performance.now() - start) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    counts,
    problems,
    firstProblem,
    peakRssMb: peakRssMb(),
  }),
);
