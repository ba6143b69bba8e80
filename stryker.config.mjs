// Stryker for one safety-critical module at a time; scripts/mutation.mjs sets MUTATION_MODULE,
// MUTATION_FILES (what to mutate) and MUTATION_TESTS (the unit and integration tests that exercise it).
const name = process.env.MUTATION_MODULE ?? 'adhoc';
const mutate = (process.env.MUTATION_FILES ?? '').split(',').filter(Boolean);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate,
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  // A mutant that hangs costs this much over its tests' own time, plus restarting the worker. Modules of
  // pure byte decoding set less (MUTATION_TIMEOUT_MS from `timeoutMs` in scripts/mutation.mjs).
  timeoutMS: Number(process.env.MUTATION_TIMEOUT_MS ?? 20_000),
  // progress-append-only: one line every few seconds, readable in a log (no terminal needed).
  reporters: ['json', 'clear-text', 'progress-append-only'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // Only the code tests load; the .d.mts declaration files in scripts/ cannot be parsed for it.
  disableTypeChecks: '{main,shared,test}/**/*.{js,ts,mjs,cjs,mts,cts}',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Incremental: a rerun tests again only the mutants whose code or covering tests changed since this
  // module's last run (kept per module in reports/, which git ignores). MUTATION_FULL=1 runs all of them.
  incremental: process.env.MUTATION_FULL !== '1',
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  // Static mutants (module-level constants: service UUIDs, lookup tables, default policies) rerun every
  // test of the module, and took ~70 % of a run for ~10 % of the mutants. They are left out of the
  // score; scripts/mutation.mjs prints how many were ignored per module (see test/mutation-survivors.md).
  // Modules whose constants are the point (plausible ranges, score tables) run them: `statics: true` in
  // scripts/mutation.mjs sets MUTATION_STATIC=1.
  ignoreStatic: process.env.MUTATION_STATIC !== '1',
  // Only what the tests and the mutated code need goes into the sandbox.
  ignorePatterns: [
    'dist',
    'release',
    'test-results',
    'reports',
    'bench/results',
    'renderer',
    'test/e2e',
    '.vitals-data',
    // Scratch files other tools create and delete at the root while a sandbox is being copied.
    '/*.tmp.*',
  ],
};
