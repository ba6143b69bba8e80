/**
 * Where the reader thread's script comes from: from source (tests, bench) the worker's TypeScript through
 * tsx; built, none from here (a chunk of the bundle is not the worker: the import worker passes its own
 * bundle), so a large file is never sent to a script that does not exist. A reader thread that runs out
 * of its memory (a real thread limit, reached by a stand-in script) ends with a message the nurse can read.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc';
import {
  READER_OUT_OF_MEMORY,
  readerScriptFromSource,
  threadedReader,
} from '../../../main/import/reader-thread';

describe('reader thread script', () => {
  it('is the worker source through tsx when run from source', () => {
    const script = readerScriptFromSource();
    expect(script).not.toBeNull();
    expect(existsSync(fileURLToPath(script!.script))).toBe(true);
    expect(script!.script.pathname).toMatch(/main\/import\/worker-source\.mjs$/);
    expect(existsSync(fileURLToPath(script!.entry!))).toBe(true);
  });

  it('is left to the import worker in a built app', () => {
    expect(
      readerScriptFromSource('/opt/Vitals Desk/resources/app.asar/dist/main/assets/pipeline-1a2b.js'),
    ).toBeNull();
  });

  it('says a file needs more memory than the import may use, instead of a bare failure', async () => {
    const greedy = { script: new URL('./fixtures/greedy-reader.mjs', import.meta.url) };
    const read = threadedReader(greedy, 'apple-health', undefined, 32)({ path: 'export.xml', maxBytes: 1 });
    const failure = await read.next().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'VALIDATION', message: READER_OUT_OF_MEMORY });
  });
});
