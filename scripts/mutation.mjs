// Mutation testing of the safety-critical modules: Stryker mutates one module at a time and runs only the
// unit and integration tests that exercise it (never the end-to-end project), with per-test coverage.
// Prints `bench mutation <module> <score> % target >= 90` per module and for the total, and writes
// bench/results/mutation.json. Not part of `npm test`.
//
//   npm run test:mutation                 every module below
//   npm run test:mutation -- news2 units  only these (the results file then says which ran)
//
// Score: (killed + timed out + runtime errors) / (those + survived + no coverage). A runtime error is a
// mutant that made a test file or the run itself fail, i.e. the suite noticed it. Compile errors are not
// counted (no type checker runs). Stryker's vitest runner 9.6.1 scores a mutant that makes a test file
// throw on load as Survived; vitest.mutation.config.ts adds a reporter that turns such a file into a
// failed test, and the canary module `load-canary` checks that it still does.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const strykerCli = path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const TARGET = 90;

const ble = (name) => `main/devices/ble/profiles/${name}.ts`;
const bleTests = [
  'test/unit/devices/ble/blood-pressure.test.ts',
  'test/unit/devices/ble/blood-pressure-status.test.ts',
  'test/unit/devices/ble/blood-pressure-map.test.ts',
  'test/unit/devices/ble/device-information.test.ts',
  'test/unit/devices/ble/glucose.test.ts',
  'test/unit/devices/ble/glucose-context.test.ts',
  'test/unit/devices/ble/glucose-context-fields.test.ts',
  'test/unit/devices/ble/racp.test.ts',
  'test/unit/devices/ble/health-thermometer.test.ts',
  'test/unit/devices/ble/heart-rate.test.ts',
  'test/unit/devices/ble/pulse-oximeter.test.ts',
  'test/unit/devices/ble/pulse-oximeter-ongoing.test.ts',
  'test/unit/devices/ble/weight-scale.test.ts',
  'test/unit/devices/ble/message-refusals.test.ts',
  'test/unit/devices/ble/quirks.test.ts',
  'test/unit/devices/ble/feature-use.test.ts',
];
// The fuzz tests (test/unit/devices/fuzz-ble.test.ts, test/unit/devices/serial/fuzz.test.ts) are in no list:
// a million payloads through instrumented code take minutes per mutant, and they assert only that nothing
// throws and nothing implausible comes out, which the decoding tests below assert value by value.
// Serial drivers against byte streams only: test/integration/devices/serial-pty.test.ts and core-ipc.test.ts
// open pseudo-terminals through the native serialport module, which does not survive Stryker's repeated
// runs in one worker; the drivers' logic is covered by the stream tests below.
const serialTests = [
  'test/unit/devices/serial/and-scale.test.ts',
  'test/unit/devices/serial/and-scale-lines.test.ts',
  'test/unit/devices/serial/nonin-2.test.ts',
  'test/unit/devices/serial/nonin-2-perfusion.test.ts',
  'test/unit/devices/serial/nonin-7.test.ts',
  'test/unit/devices/serial/nonin-8.test.ts',
  'test/unit/devices/serial/nonin-8-notes.test.ts',
  'test/unit/devices/serial/nonin-outputs.test.ts',
  'test/unit/devices/serial/simulators.test.ts',
];
// worker.test.ts, server-limits, patient-corrections and hostile-server start a FHIR server per test and
// exercise plan/send/answer more than the outbox and the worker; with per-test coverage every outbox mutant
// ran them all (an estimated two hours on a loaded machine), so they are left out: outbox-records.test.ts
// drives every outbox method on the real database directly, worker-schedule.test.ts the worker's loop.
const outboxTests = [
  'test/integration/sync/outbox-states.test.ts',
  'test/integration/sync/outbox-records.test.ts',
  'test/integration/sync/outbox-progress.test.ts',
];
// worker-turns.test.ts: the senders after the clinic's data, a pass that throws, stop/start/kick mid-way;
// one FHIR server for the whole file.
const workerTests = [
  'test/unit/sync/rules.test.ts',
  'test/integration/sync/worker-schedule.test.ts',
  'test/integration/sync/worker-turns.test.ts',
  // Home data and the audit trail recovering from an outage on their own (back-off, then kick).
  'test/integration/sync/stream-recovery.test.ts',
];

/** The declared safety-critical modules: what is mutated, and the tests that exercise it. */
export const MODULES = [
  {
    name: 'news2',
    statics: true,
    mutate: ['shared/clinical/news2.ts'],
    tests: [
      'test/unit/clinical/news2.test.ts',
      'test/unit/clinical/news2-responses.test.ts',
      'test/unit/clinical/guidelines.test.ts',
    ],
  },
  {
    name: 'plausibility',
    statics: true,
    mutate: ['shared/clinical/plausibility.ts'],
    tests: [
      'test/unit/clinical/plausibility.test.ts',
      'test/unit/clinical/plausibility-edges.test.ts',
      'test/unit/clinical/outer-band.test.ts',
    ],
  },
  {
    name: 'units',
    statics: true,
    mutate: ['shared/clinical/units.ts'],
    tests: [
      'test/unit/clinical/units.test.ts',
      'test/unit/clinical/unit-tables.test.ts',
      'test/unit/clinical/jump-check.test.ts',
      'test/unit/clinical/feet-inches.test.ts',
    ],
  },
  {
    name: 'abnormal',
    statics: true,
    mutate: ['shared/clinical/abnormal.ts'],
    tests: ['test/unit/clinical/abnormal.test.ts', 'test/unit/clinical/abnormal-edges.test.ts'],
  },
  {
    name: 'ble-profiles',
    // Decoding tests, as the serial drivers: a hanging mutant counts as a timeout after 5 s, not 20 s.
    timeoutMs: 5_000,
    mutate: [
      'blood-pressure',
      'glucose',
      'health-thermometer',
      'heart-rate',
      'pulse-oximeter',
      'weight-scale',
    ]
      .map(ble)
      .concat('main/devices/ble/quirks.ts'),
    tests: bleTests,
  },
  {
    name: 'serial-drivers',
    // Decoding tests take milliseconds; a mutant that loops in a parser was 24 of ~870 mutants, and each
    // one waited the default 20 s before it counted as a timeout.
    timeoutMs: 5_000,
    mutate: [
      'and-scale',
      'nonin-2',
      'nonin-7',
      'nonin-8',
      'measurement',
      'signal-quality',
      'pending-bytes',
    ].map((d) => `main/devices/serial/drivers/${d}.ts`),
    tests: serialTests,
  },
  {
    name: 'audit-chain',
    statics: true,
    mutate: ['main/audit/chain.ts'],
    tests: [
      'test/unit/audit/chain.test.ts',
      'test/unit/audit/chain-format.test.ts',
      'test/integration/audit/audit-head.test.ts',
    ],
  },
  {
    name: 'audit-recorder',
    mutate: ['main/audit/recorder.ts'],
    tests: [
      // recorder-fields.test.ts drives the recorder on the real store directly; fail-closed.test.ts through
      // the core. audit-trail.test.ts and search-audit.test.ts start a whole core per test for the same
      // code and are left out to keep the run short.
      'test/integration/audit/recorder-fields.test.ts',
      'test/integration/audit/fail-closed.test.ts',
    ],
  },
  {
    name: 'auth',
    mutate: ['lockout', 'sessions', 'totp', 'password'].map((m) => `main/auth/${m}.ts`),
    tests: [
      'test/unit/auth/lockout.test.ts',
      'test/unit/auth/sessions.test.ts',
      'test/unit/auth/totp.test.ts',
      // Not password.test.ts: it hashes at the shipped cost (128 MiB, about a second a hash under load) and
      // made each password mutant take ~10 s; password-hash-format.test.ts asserts the same at a low cost
      // and checks the shipped cost as a value.
      'test/unit/auth/password-hash-format.test.ts',
      'test/unit/auth/lockout-edges.test.ts',
      'test/unit/auth/totp-codes.test.ts',
    ],
  },
  // The outbox (what is sent, at most once, and what is set aside) and the worker's schedule, apart: each
  // runs only its own tests.
  { name: 'sync-outbox', mutate: ['main/sync/outbox.ts'], tests: outboxTests },
  { name: 'sync-worker', mutate: ['main/sync/worker.ts'], tests: workerTests },
  {
    name: 'observations-repository',
    mutate: ['main/db/repositories/observations.ts'],
    tests: [
      'test/integration/db/repositories.test.ts',
      'test/integration/db/observation-guards.test.ts',
      'test/integration/db/append-only.test.ts',
      'test/integration/db/entry-confirmation.test.ts',
      'test/integration/db/visit-values.test.ts',
      'test/integration/db/device-reading-filing.test.ts',
    ],
  },
  {
    name: 'patients-repository',
    mutate: ['main/db/repositories/patients.ts'],
    tests: [
      'test/integration/db/repositories.test.ts',
      'test/integration/db/patient-corrections.test.ts',
      'test/integration/db/intake-input-checks.test.ts',
      'test/integration/db/patient-finding.test.ts',
      // The repository's duplicate check and audit filter on the database directly. Not
      // likely-duplicates.test.ts: it starts a whole core to check the same matching through the IPC
      // channel and the audit trail, which are not this module.
      'test/integration/db/patient-duplicates.test.ts',
    ],
  },
  // Proves the load-failure workaround: its table's mutants make the module throw on import. They are
  // static mutants, so the canary runs statics (and isolated: each is imported anew).
  {
    name: 'load-canary',
    statics: true,
    mutate: ['test/mutation/load-canary.ts'],
    tests: ['test/mutation/load-canary.check.ts'],
    canary: true,
  },
];

const DETECTED = new Set(['Killed', 'Timeout', 'RuntimeError']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Counts a Stryker JSON report (mutation-testing-report-schema) into a score. */
export function scoreOf(report) {
  const counts = {};
  const survivors = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      counts[m.status] = (counts[m.status] ?? 0) + 1;
      if (UNDETECTED.has(m.status))
        survivors.push(
          `${m.status} ${path.relative(root, path.resolve(root, file))}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${JSON.stringify(m.replacement ?? '')}`,
        );
    }
  }
  const detected = [...DETECTED].reduce((n, s) => n + (counts[s] ?? 0), 0);
  const undetected = [...UNDETECTED].reduce((n, s) => n + (counts[s] ?? 0), 0);
  const valid = detected + undetected;
  return { detected, valid, score: valid === 0 ? 100 : (100 * detected) / valid, counts, survivors };
}

function runModule(module) {
  const report = path.join(root, 'reports', 'mutation', `${module.name}.json`);
  rmSync(report, { force: true });
  const started = Date.now();
  // Other work shares the machine: the load average says how busy it was while this module ran.
  const loadBefore = os.loadavg()[0];
  const run = spawnSync(process.execPath, [strykerCli, 'run', 'stryker.config.mjs'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      MUTATION_MODULE: module.name,
      MUTATION_FILES: module.mutate.join(','),
      MUTATION_TESTS: module.tests.join(','),
      MUTATION_STATIC: module.statics ? '1' : '0',
      ...(module.timeoutMs ? { MUTATION_TIMEOUT_MS: String(module.timeoutMs) } : {}),
    },
  });
  const seconds = (Date.now() - started) / 1000;
  const when = {
    measuredAt: new Date(started).toISOString(),
    seconds,
    // Incremental runs test again only what changed: their seconds say nothing about a full run.
    full: process.env.MUTATION_FULL === '1',
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
    loadAverage: [loadBefore, os.loadavg()[0]].map((l) => Number(l.toFixed(2))),
  };
  if (run.status !== 0 || !existsSync(report))
    return { name: module.name, error: `stryker exited with ${run.status}`, ...when };
  return { name: module.name, ...when, ...scoreOf(JSON.parse(readFileSync(report, 'utf8'))) };
}

function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !MODULES.some((m) => m.name === w));
  if (unknown.length > 0) {
    console.error(
      `Unknown module(s): ${unknown.join(', ')}. Known: ${MODULES.map((m) => m.name).join(', ')}`,
    );
    process.exit(2);
  }
  const selected = wanted.length > 0 ? MODULES.filter((m) => wanted.includes(m.name)) : MODULES;
  const runStarted = Date.now();
  const loadAtStart = os.loadavg();
  const results = selected.map(runModule);
  const runSeconds = (Date.now() - runStarted) / 1000;
  const loadAtEnd = os.loadavg();
  const line = (name, value) =>
    console.log(`bench mutation ${name} ${Number(value.toPrecision(4))} % target >= ${TARGET}`);
  let failed = false;
  console.log('');
  for (const r of results) {
    if (r.error) {
      console.log(`bench mutation ${r.name} error: ${r.error}`);
      failed = true;
      continue;
    }
    line(r.name, r.score);
    if (r.score < TARGET) failed = true;
    if (selected.find((m) => m.name === r.name)?.canary && r.score < 100) {
      console.log('A mutant that stops a test file loading counted as survived: scores are not honest.');
      failed = true;
    }
  }
  const scored = results.filter((r) => !r.error && !selected.find((m) => m.name === r.name)?.canary);
  const detected = scored.reduce((n, r) => n + r.detected, 0);
  const valid = scored.reduce((n, r) => n + r.valid, 0);
  if (scored.length > 0) line('total', valid === 0 ? 100 : (100 * detected) / valid);
  // The time limit (30 minutes for the whole list on two cores) is judged on this line; the load
  // average says whether other work shared the machine (1-, 5- and 15-minute figures, start and end).
  const loads = (l) => l.map((x) => x.toFixed(2)).join(' ');
  console.log(
    `bench mutation seconds ${runSeconds.toFixed(1)} for ${results.length} module(s)` +
      `${wanted.length === 0 ? ' (the whole list)' : ''}, ${os.cpus().length} cpus, concurrency ` +
      `${process.env.MUTATION_CONCURRENCY ?? 2}, load average ${loads(loadAtStart)} at start, ${loads(loadAtEnd)} at end`,
  );
  for (const r of results) console.log(`  ${r.name}: ${r.seconds.toFixed(1)} s`);
  for (const r of results.filter((x) => x.counts?.Ignored))
    console.log(`${r.name}: ${r.counts.Ignored} static mutants not run (ignoreStatic), not in the score`);
  for (const r of results.filter((x) => x.survivors?.length)) {
    console.log(`\n${r.name}: ${r.survivors.length} not detected (see test/mutation-survivors.md)`);
    for (const s of r.survivors) console.log(`  ${s}`);
  }
  const dir = path.join(root, 'bench', 'results');
  const file = path.join(dir, 'mutation.json');
  mkdirSync(dir, { recursive: true });
  // A run of some modules keeps the last figures of the others (each module says when it was measured).
  const earlier = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const ran = new Set(results.map((r) => r.name));
  const kept = wanted.length === 0 ? [] : (earlier.modules ?? []).filter((m) => !ran.has(m.name));
  const modules = [...kept, ...results].sort(
    (a, b) => MODULES.findIndex((m) => m.name === a.name) - MODULES.findIndex((m) => m.name === b.name),
  );
  const figureOf = (name, value) => ({
    figure: name,
    value: Number(value.toPrecision(4)),
    unit: '%',
    op: '>=',
    target: TARGET,
    met: value >= TARGET,
  });
  const allScored = modules.filter((m) => !m.error && !MODULES.find((d) => d.name === m.name)?.canary);
  const allDetected = allScored.reduce((n, m) => n + m.detected, 0);
  const allValid = allScored.reduce((n, m) => n + m.valid, 0);
  writeFileSync(
    file,
    JSON.stringify(
      {
        name: 'mutation',
        measuredAt: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        modulesRun: results.map((r) => r.name),
        allModules: wanted.length === 0,
        full: process.env.MUTATION_FULL === '1',
        concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
        secondsThisRun: Number(runSeconds.toFixed(1)),
        loadAverageThisRun: {
          start: loadAtStart.map((l) => Number(l.toFixed(2))),
          end: loadAtEnd.map((l) => Number(l.toFixed(2))),
        },
        figures: [
          ...modules.filter((m) => !m.error).map((m) => figureOf(m.name, m.score)),
          ...(allScored.length > 0
            ? [figureOf('total', allValid === 0 ? 100 : (100 * allDetected) / allValid)]
            : []),
        ],
        modules: modules.map(({ survivors, ...r }) => ({ ...r, survivors })),
      },
      null,
      2,
    ) + '\n',
  );
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
