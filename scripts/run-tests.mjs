// Runs every test (unit + integration + end-to-end) and ends with one plain summary line,
// `N passed, N failed`, that any CI can read. Exit code is vitest's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// vitest's own CLI script (its `bin`) run by this Node: no `npx`, which Windows cannot spawn
// without a shell.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitestCli = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');

mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest-report.json';
const args = [
  vitestCli,
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
let summary = 'no test report was written';
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  summary =
    `${r.numPassedTests} passed, ${r.numFailedTests} failed` +
    (r.numPendingTests ? `, ${r.numPendingTests} skipped` : '');
}
console.log(`\nTests: ${summary}`);
process.exit(run.status ?? 1);
