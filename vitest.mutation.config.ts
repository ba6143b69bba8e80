import { defineConfig } from 'vitest/config';
import UnloadableFileReporter from './test/mutation/unloadable-file-reporter';

// Mutation runs only: the test files of one module, named by scripts/mutation.mjs in MUTATION_TESTS
// (comma-separated). Never the end-to-end project.
const files = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);
if (files.length === 0) throw new Error('MUTATION_TESTS names no test files');

export default defineConfig({
  test: {
    include: files,
    environment: 'node',
    // Stryker runs the covering tests once per mutant. Isolated (vitest's default), every run starts a
    // fresh worker that imports each test file's whole module graph again (the core, Medplum, SQLite), which
    // was most of the time per mutant. Not isolated, the graph stays loaded between runs and only the test
    // files run again. That is only sound when no mutant needs a fresh import: a module whose static
    // mutants (module-level constants) run sets MUTATION_STATIC=1 and stays isolated, so each such mutant
    // is imported anew. MUTATION_ISOLATE=1 isolates every module (to compare scores and times).
    isolate: process.env.MUTATION_STATIC === '1' || process.env.MUTATION_ISOLATE === '1',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A test file that cannot load is a failed test, not an absent one (see the reporter).
    reporters: ['default', new UnloadableFileReporter()],
  },
});
