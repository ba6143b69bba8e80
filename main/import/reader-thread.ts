/**
 * A large file is read on a thread of its own while the importing thread writes what it found to the
 * staging file: parsing and storing overlap on two cores instead of taking turns. The reader thread runs
 * the same reader as ever and posts its events in batches; it stays at most a few batches ahead (the
 * importing thread acknowledges each one it has taken), so memory stays bounded however large the file.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { CsvColumnMapping } from '../../shared/home-data/csv-mapping';
import type { HomeImportFormat } from '../../shared/home-data/record';
import { AppError, type IpcErrorPayload } from '../../shared/ipc';
import { readerFor } from './detect';
import type { HomeImportEvent, HomeImportInput, HomeImportReader } from './formats/events';

/** What the import worker's script receives when it is started as a reader thread. */
export interface ReaderThreadData {
  role: 'reader';
  /** The TypeScript entry when run from source (see worker-source.mjs). */
  entry?: string;
  format: HomeImportFormat;
  mapping?: CsvColumnMapping;
  input: { path: string; maxBytes: number };
}

type FromReader =
  | { type: 'events'; events: HomeImportEvent[] }
  | { type: 'end' }
  | { type: 'failed'; error: IpcErrorPayload | null };

const EVENTS_PER_BATCH = 1000;
/** Batches posted and not yet taken by the importing thread. */
const MAX_AHEAD = 4;

export interface ReaderScript {
  script: URL;
  entry?: string;
}

/**
 * The reader thread's script when this code runs from its TypeScript source (tests, the bench): the
 * worker's source through tsx. Built, the import worker passes its own bundle instead; null here.
 */
export function readerScriptFromSource(here = fileURLToPath(import.meta.url)): ReaderScript | null {
  if (!here.endsWith('.ts')) return null;
  const dir = path.dirname(here);
  return {
    script: pathToFileURL(path.join(dir, 'worker-source.mjs')),
    entry: pathToFileURL(path.join(dir, 'worker.ts')).href,
  };
}

export function isReaderThreadData(data: unknown): data is ReaderThreadData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === 'reader';
}

/** The reader thread's side: reads the file and posts its events, waiting when it is too far ahead. */
export async function serveReader(port: MessagePort, data: ReaderThreadData): Promise<void> {
  let ahead = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    ahead--;
    wake?.();
    wake = undefined;
  });
  let batch: HomeImportEvent[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    port.postMessage({ type: 'events', events: batch } satisfies FromReader);
    batch = [];
    ahead++;
    while (ahead >= MAX_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
  };
  try {
    for await (const event of readerFor(data.format, data.mapping)(data.input)) {
      batch.push(event);
      if (batch.length >= EVENTS_PER_BATCH || event.type === 'progress') await flush();
    }
    await flush();
    port.postMessage({ type: 'end' } satisfies FromReader);
  } catch (error) {
    // A reader reports bad content as problems; what escapes is a refusal (AppError) or a bug, whose text
    // may quote the file, so only an AppError's own message crosses.
    port.postMessage({
      type: 'failed',
      error: error instanceof AppError ? error.toPayload() : null,
    } satisfies FromReader);
  }
  port.close();
}

/**
 * A reader that runs `format`'s reader on a thread of its own (the import worker's script in its reader
 * role). Stopping early (cancel, a refusal) ends the thread.
 */
/** What a reader thread may hold: a chunk and its events, plus what an export only settles at its end. */
export const READER_HEAP_MB = 128;

/** Said when the reader thread ran out of its memory: a file of this shape is refused, not half read. */
export const READER_OUT_OF_MEMORY =
  'This file holds more open records than this workstation reads at once (for example blood-pressure values without their other half), so it was not read. Nothing was imported.';

export function threadedReader(
  script: ReaderScript,
  format: HomeImportFormat,
  mapping?: CsvColumnMapping,
  heapMb = READER_HEAP_MB,
): HomeImportReader {
  return async function* read(input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
    const data: ReaderThreadData = {
      role: 'reader',
      ...(script.entry ? { entry: script.entry } : {}),
      format,
      ...(mapping ? { mapping } : {}),
      input: { path: input.path, maxBytes: input.maxBytes },
    };
    // A capped heap keeps the process's memory bounded: the reader holds a chunk and its events at a time,
    // plus what an export only settles at its end (loose blood-pressure halves, day and night totals).
    const worker = new Worker(script.script, {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 8 },
    });
    const inbox: FromReader[] = [];
    let fault: Error | undefined;
    let exited = false;
    let notify: (() => void) | undefined;
    const wakeUp = (): void => {
      notify?.();
      notify = undefined;
    };
    worker.on('message', (message: FromReader) => {
      inbox.push(message);
      wakeUp();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      fault =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new AppError('VALIDATION', READER_OUT_OF_MEMORY)
          : new AppError('INTERNAL', 'The file could not be read. Nothing was imported.');
      wakeUp();
    });
    worker.on('exit', () => {
      exited = true;
      wakeUp();
    });
    const abort = (): void => void worker.terminate();
    input.signal?.addEventListener('abort', abort, { once: true });
    try {
      for (;;) {
        const message = inbox.shift();
        if (!message) {
          if (fault) throw fault;
          if (exited) throw new AppError('INTERNAL', 'The file could not be read. Nothing was imported.');
          await new Promise<void>((resolve) => (notify = resolve));
          continue;
        }
        if (message.type === 'end') return;
        if (message.type === 'failed') {
          if (message.error)
            throw new AppError(message.error.code, message.error.message, message.error.issues);
          throw new AppError('INTERNAL', 'The file could not be read. Nothing was imported.');
        }
        yield* message.events;
        // Taken: the reader may post another batch.
        worker.postMessage('taken');
      }
    } finally {
      input.signal?.removeEventListener('abort', abort);
      await worker.terminate();
    }
  };
}
