import type { Reporter, TestModule } from 'vitest/node';

/** The parts of a vitest file task this reporter reads and writes. */
interface FileTask {
  type: string;
  name: string;
  filepath: string;
  mode: string;
  tasks: unknown[];
  result?: { state?: string; errors?: readonly { message?: string }[] };
}

/**
 * Mutation runs only. Stryker's vitest runner (9.6.1) scores a mutant from the tests it collected;
 * a mutant that makes a test file throw on import leaves that file with no tests, so the mutant
 * would count as Survived although the suite caught it. Here such a file gets one failed test
 * carrying its load error, and Stryker counts the mutant Killed. A file that loaded is untouched.
 */
export function failedLoadsAsFailedTests(files: readonly FileTask[]): number {
  let added = 0;
  for (const file of files) {
    if (file.result?.state !== 'fail' || file.tasks.length > 0) continue;
    const message = file.result.errors?.map((e) => e.message ?? '').join('\n') || 'test file failed to load';
    file.tasks.push({
      type: 'test',
      name: 'test file loads',
      mode: 'run',
      file,
      suite: undefined,
      result: { state: 'fail', errors: [{ message }], duration: 0 },
    });
    added += 1;
  }
  return added;
}

export default class UnloadableFileReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    // The runner reads these same file tasks from vitest's state once the run has ended. `task` is
    // vitest's internal (untyped) handle on the module's file task, the object the runner reads.
    failedLoadsAsFailedTests(testModules.map((m) => (m as unknown as { task: FileTask }).task));
  }
}
