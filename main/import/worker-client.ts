/**
 * Runs one home-data file in a worker thread: its preview, then the nurse's Import or Cancel. The same
 * worker code runs in the app (bundled) and in tests and the Chromium host (from source, through tsx).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HomeImportPreview, HomeImportResult } from '../../shared/home-data/import-summary';
import { AppError } from '../../shared/ipc';
import type { HomeImportProgressReport } from './pipeline';
import type { FromWorker, HomeImportWorkerData, ImportAuditContext, ToWorker } from './worker-protocol';
import { newStageToken, removeStagingFile } from '../db/repositories/home-observations';

/**
 * A file packed in the app's asar archive, as electron-builder's asarUnpack leaves it on disk: in
 * `app.asar.unpacked`, beside the archive. A worker thread's loader does not read inside the archive, so
 * the worker and the packages it imports are unpacked (electron-builder.yml) and started from there.
 */
export function unpackedFromAsar(file: string): string {
  return file.replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked');
}

/**
 * Where the worker's code is: the bundle's sibling file when built (its unpacked copy in a packaged
 * app), else the TypeScript source. `here`: this module's file (tests: a packaged layout).
 */
export function homeImportWorkerScript(here = fileURLToPath(import.meta.url)): {
  script: URL;
  entry?: string;
} {
  // Built, this code is in main.js or in a chunk the worker shares with it (dist/main/assets/).
  const dir = path.dirname(here);
  const mainDir = path.basename(dir) === 'assets' ? path.dirname(dir) : dir;
  const bundled = unpackedFromAsar(path.join(mainDir, 'home-import-worker.js'));
  if (!here.endsWith('.ts') && existsSync(bundled)) return { script: pathToFileURL(bundled) };
  return {
    script: pathToFileURL(path.join(dir, 'worker-source.mjs')),
    entry: pathToFileURL(path.join(dir, 'worker.ts')).href,
  };
}

/**
 * The import thread's heap: the reader holds a chunk of the file and its records at a time, plus what an
 * export only settles at its end (loose blood-pressure halves, day and night totals). A file that needs
 * more is refused, so an import never takes the workstation's memory.
 */
export const IMPORT_HEAP_MB = 192;

/** Said when the import thread ran out of its memory: a file of this shape is refused, not half read. */
export const IMPORT_OUT_OF_MEMORY =
  'This file holds more open records than this workstation reads at once (for example blood-pressure values without their other half), so it was not read. Nothing was imported.';

export type WorkerOutcome<T> = { status: 'done'; value: T } | { status: 'cancelled' };

export interface HomeImportWorkerJob {
  /** Resolves with the preview once the whole file is read (or cancelled, or rejects with an AppError). */
  readonly preview: Promise<WorkerOutcome<HomeImportPreview>>;
  commit(options: {
    importedBy: string;
    confirmSubjectMismatch: boolean;
    now: Date;
    audit: ImportAuditContext;
  }): Promise<WorkerOutcome<HomeImportResult>>;
  cancel(): Promise<void>;
  /** The thread has ended (stored, cancelled or failed). */
  readonly ended: Promise<void>;
}

export function startHomeImportWorker(
  data: HomeImportWorkerData,
  onProgress: (progress: HomeImportProgressReport) => void,
  script = homeImportWorkerScript(),
  heapMb = IMPORT_HEAP_MB,
): HomeImportWorkerJob {
  // Named here: a thread that runs out of memory ends without removing its staging file, so this does.
  const stageToken = data.job.stageToken ?? newStageToken();
  const worker = new Worker(script.script, {
    workerData: {
      ...data,
      job: { ...data.job, stageToken },
      ...(script.entry ? { entry: script.entry } : {}),
    },
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
  let settlePreview: ((o: WorkerOutcome<HomeImportPreview>) => void) | undefined;
  let failPreview: ((e: Error) => void) | undefined;
  let pendingCommit:
    { resolve: (o: WorkerOutcome<HomeImportResult>) => void; reject: (e: Error) => void } | undefined;
  let endedResolve!: () => void;
  const ended = new Promise<void>((resolve) => (endedResolve = resolve));
  const preview = new Promise<WorkerOutcome<HomeImportPreview>>((resolve, reject) => {
    settlePreview = resolve;
    failPreview = reject;
  });
  let done = false;
  const send = (message: ToWorker): void => {
    if (!done) worker.postMessage(message);
  };
  const failAll = (error: Error): void => {
    failPreview?.(error);
    pendingCommit?.reject(error);
    pendingCommit = undefined;
  };
  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'progress':
        onProgress(message.progress);
        break;
      case 'preview':
        settlePreview?.({ status: 'done', value: message.preview });
        break;
      case 'committed':
        pendingCommit?.resolve({ status: 'done', value: message.result });
        pendingCommit = undefined;
        break;
      case 'cancelled':
        settlePreview?.({ status: 'cancelled' });
        pendingCommit?.resolve({ status: 'cancelled' });
        pendingCommit = undefined;
        break;
      case 'failed': {
        const error = new AppError(message.error.code, message.error.message, message.error.issues);
        if (message.stage === 'preview') failPreview?.(error);
        else {
          pendingCommit?.reject(error);
          pendingCommit = undefined;
        }
        break;
      }
    }
  });
  worker.on('error', (error: Error & { code?: string }) =>
    failAll(
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new AppError('VALIDATION', IMPORT_OUT_OF_MEMORY)
        : new AppError('INTERNAL', 'The import stopped unexpectedly. Nothing was imported.'),
    ),
  );
  worker.on('exit', () => {
    done = true;
    try {
      removeStagingFile(data.database.file, stageToken);
    } catch {
      // Still held open (Windows): removed by a later import once it is old.
    }
    failAll(new AppError('INTERNAL', 'The import stopped unexpectedly. Nothing was imported.'));
    endedResolve();
  });
  return {
    preview,
    commit(options) {
      if (done)
        return Promise.reject(new AppError('CONFLICT', 'This file is no longer open. Choose it again.'));
      if (pendingCommit)
        return Promise.reject(new AppError('CONFLICT', 'This file is already being imported.'));
      return new Promise((resolve, reject) => {
        pendingCommit = { resolve, reject };
        send({
          type: 'commit',
          importedBy: options.importedBy,
          confirmSubjectMismatch: options.confirmSubjectMismatch,
          now: options.now.toISOString(),
          audit: options.audit,
        });
      });
    },
    async cancel() {
      send({ type: 'cancel' });
      await ended;
    },
    ended,
  };
}
