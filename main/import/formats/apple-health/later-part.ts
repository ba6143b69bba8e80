/**
 * A large export.xml is read in two parts at once, on two cores: the importing thread reads the first
 * part and stages what it finds, a thread of its own reads the rest. The later part starts at a top-level
 * `<Record` (Apple writes those one space in, their members two); the first part's reader checks, when it
 * reaches that byte, that it stands exactly between two top-level elements, or it drops what the other
 * thread found and reads on itself; so it does too when that thread fails (runs out of its heap, say). The later part's records come over in batches as they are found and
 * are staged apart, after the first part's in file order; what only the end of the file settles
 * (blood-pressure halves, day and night totals, problem lines) comes over at its end. This module is the
 * importing thread's side; ./later-part-thread.ts is the other.
 */
import { openRegularFile } from '../../regular-file';
import { Worker } from 'node:worker_threads';
import type { HomeRecord } from '../../../../shared/home-data/record';
import type { HomeImportEvent, PartThread } from '../events';
import type { LaterPartState } from './reader';

/** Below this size a file is read on one thread: a second one would cost more to start than it saves. */
export const LATER_PART_MIN_BYTES = 64 * 1024 * 1024;
/**
 * Where the later part starts, as a share of the file: the first part's thread also stages every record
 * of both parts, so it reads less than half.
 */
export const FIRST_PART_SHARE = 0.4;
/** A heap as the import thread's reader needs: a chunk, its records, and what waits for the file's end. */
export const LATER_PART_HEAP_MB = 128;
/** Record batches posted and not yet taken by the importing thread: bounds the memory between them. */
export const MAX_BATCHES_AHEAD = 8;

const TOP_LEVEL_RECORD = Buffer.from('\n <Record ');
const SEARCH_WINDOW = 1024 * 1024;

export interface LaterPartData {
  role: 'apple-health-later-part';
  /** The TypeScript entry when run from source (see ../../worker-source.mjs). */
  entry?: string;
  path: string;
  /** The byte where the later part begins: the `<` of a top-level Record. */
  start: number;
  /** The file's size when the import began: a file that grows meanwhile is not read past it. */
  size?: number;
}

export type FromLaterPart =
  | { type: 'records'; records: HomeRecord[]; bytesRead: number }
  | {
      type: 'end';
      bytesRead: number;
      /** Events other than records (a `Me` or ExportDate element met late), in file order. */
      held: HomeImportEvent[];
      state: LaterPartState;
      /** The part is not well-formed here (its line counted within the part). */
      fault?: { message: string; line: number };
    }
  | { type: 'failed' };

export function isLaterPartData(data: unknown): data is LaterPartData {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { role?: unknown }).role === 'apple-health-later-part'
  );
}

/**
 * The byte at which a later part may start: the first top-level `<Record` after the first part's share
 * of the file, or null when none is found near it (a file not laid out as Apple writes it).
 */
export async function findLaterPartStart(path: string, size: number): Promise<number | null> {
  const file = await openRegularFile(path);
  try {
    const buffer = Buffer.alloc(SEARCH_WINDOW + TOP_LEVEL_RECORD.length);
    for (let from = Math.floor(size * FIRST_PART_SHARE), tries = 0; tries < 4; tries++) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, from);
      const at = buffer.subarray(0, bytesRead).indexOf(TOP_LEVEL_RECORD);
      if (at !== -1) return from + at + 2;
      if (bytesRead < buffer.length) return null;
      from += SEARCH_WINDOW;
    }
    return null;
  } finally {
    await file.close();
  }
}

export interface LaterPartReader {
  /** Bytes the later part's thread has read so far. */
  readonly bytesRead: number;
  /** The record batches that arrived since the last call, each acknowledged so the thread reads on. */
  take(): HomeRecord[][];
  /**
   * Waits for the next batch or the end; `failed` when the thread can no longer deliver the part (it ran
   * out of memory, could not read the file, or ended), and the first part's reader reads the rest itself.
   */
  next(): Promise<FromLaterPart>;
  /** Ends the thread (safe to call twice). */
  stop(): Promise<void>;
}

export function startLaterPart(
  thread: PartThread,
  path: string,
  start: number,
  size?: number,
): LaterPartReader {
  const data: LaterPartData = {
    role: 'apple-health-later-part',
    ...(thread.entry ? { entry: thread.entry } : {}),
    path,
    start,
    ...(size !== undefined ? { size } : {}),
  };
  const worker = new Worker(thread.script, {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: thread.heapMb ?? LATER_PART_HEAP_MB },
  });
  type Delivered = Exclude<FromLaterPart, { type: 'failed' }>;
  const inbox: Delivered[] = [];
  /** Nothing more will come: the thread failed, or ended without the part's end. */
  let failed = false;
  let ended = false;
  let stopped = false;
  let bytesRead = 0;
  let notify: (() => void) | undefined;
  const wakeUp = (): void => {
    notify?.();
    notify = undefined;
  };
  worker.on('message', (message: FromLaterPart) => {
    if (message.type === 'failed') failed = true;
    else inbox.push(message);
    if (message.type === 'end') ended = true;
    wakeUp();
  });
  worker.on('error', () => {
    failed = true;
    wakeUp();
  });
  worker.on('exit', () => {
    if (!ended) failed = true;
    wakeUp();
  });
  const taken = <M extends Delivered>(message: M): M => {
    bytesRead = message.bytesRead;
    if (message.type === 'records') worker.postMessage('taken');
    return message;
  };
  return {
    get bytesRead() {
      return bytesRead;
    },
    take() {
      const batches: HomeRecord[][] = [];
      for (let first = inbox[0]; first?.type === 'records'; first = inbox[0]) {
        inbox.shift();
        batches.push(taken(first).records);
      }
      return batches;
    },
    async next() {
      for (;;) {
        const message = inbox.shift();
        if (message) return taken(message);
        if (failed) return { type: 'failed' };
        await new Promise<void>((resolve) => (notify = resolve));
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await worker.terminate();
    },
  };
}
