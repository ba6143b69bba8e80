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
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A test file that cannot load is a failed test, not an absent one (see the reporter).
    reporters: ['default', new UnloadableFileReporter()],
  },
});
