/**
 * The import thread runs under a heap limit of its own: a file that would need more memory (records that
 * stay open to its end) ends the import with a message the nurse can read, and the app goes on. The limit
 * is real (a worker thread's resource limit); a stand-in script reaches it.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc';
import { IMPORT_OUT_OF_MEMORY, startHomeImportWorker } from '../../../main/import/worker-client';

describe('import thread memory', () => {
  it('says a file needs more memory than the import may use, instead of a bare failure', async () => {
    const greedy = { script: new URL('./fixtures/greedy-import.mjs', import.meta.url) };
    const job = startHomeImportWorker(
      {
        database: { file: 'unused.db', key: new Uint8Array(32), auditKey: new Uint8Array(32) },
        job: { patientId: 'p', path: 'export.xml', fileName: 'export.xml', maxBytes: 1 },
      },
      () => undefined,
      greedy,
      32,
    );
    const failure = await job.preview.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'VALIDATION', message: IMPORT_OUT_OF_MEMORY });
    await job.ended;
  });
});
