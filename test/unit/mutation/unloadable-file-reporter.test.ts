import { describe, expect, it } from 'vitest';
import { failedLoadsAsFailedTests } from '../../mutation/unloadable-file-reporter';

// The mutation-run reporter: a test file that failed with no tests becomes one failed test.
describe('failed test-file loads in a mutation run', () => {
  it('gives a file that failed to load one failed test carrying its error, and leaves others alone', () => {
    const broken = {
      type: 'suite',
      name: 'a.test.ts',
      filepath: '/x/a.test.ts',
      mode: 'run',
      tasks: [] as unknown[],
      result: { state: 'fail', errors: [{ message: 'The unit table failed to load.' }] },
    };
    const failedTests = {
      ...broken,
      name: 'b.test.ts',
      tasks: [{ type: 'test', result: { state: 'fail' } }] as unknown[],
    };
    const passed = { ...broken, name: 'c.test.ts', tasks: [] as unknown[], result: { state: 'pass' } };
    expect(failedLoadsAsFailedTests([broken, failedTests, passed])).toBe(1);
    expect(broken.tasks).toEqual([
      expect.objectContaining({
        type: 'test',
        mode: 'run',
        file: broken,
        result: expect.objectContaining({
          state: 'fail',
          errors: [{ message: 'The unit table failed to load.' }],
        }),
      }),
    ]);
    expect(failedTests.tasks).toHaveLength(1);
    expect(passed.tasks).toHaveLength(0);
  });
});
