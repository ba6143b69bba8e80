/**
 * The contract between the file readers (pure, streaming parsers of one file kind each) and the import
 * pipeline that stores what they find. A reader never throws for bad content: it yields `problem` events
 * (with line or record numbers) and goes on or stops; only a programming error or an abort escapes.
 */
import type { HomeEcg } from '../../../shared/home-data/ecg';
import type { ExportSubject, HomeRecord, ImportProblem } from '../../../shared/home-data/record';

export type HomeImportEvent =
  | { type: 'record'; record: HomeRecord }
  | { type: 'problem'; problem: ImportProblem }
  | { type: 'subject'; subject: ExportSubject }
  /** When the export was made (Apple Health's ExportDate), as a UTC instant: orders revised totals. */
  | { type: 'exportedAt'; at: string }
  /** A watch ECG (Apple Health): its samples in µV; its name and birth date only for the subject check. */
  | { type: 'ecg'; ecg: HomeEcg; samples: Float32Array; birthDate?: string; name?: string }
  | { type: 'progress'; bytesRead: number; bytesTotal?: number }
  /**
   * Records a second thread found in a later part of the file (see apple-health/later-part.ts): they
   * follow every plain `record` event's record in file order, and are staged apart until the file ends.
   * A file read in two parts also sends what only its end settles (blood pressure paired from loose
   * halves, day and night totals) this way, last, where a file read in one part would send it.
   */
  | { type: 'laterRecords'; records: HomeRecord[] }
  /** The later part is read again by the first thread: every `laterRecords` record so far is void. */
  | { type: 'laterRecordsDropped' };

/** The script a reader may start a thread of its own with: the import worker's (from source: tsx's). */
export interface PartThread {
  script: URL;
  /** The TypeScript entry the script loads, when run from source. */
  entry?: string;
  /** From this file size on (default: the reader's own threshold). */
  minBytes?: number;
  /** The thread's heap in MB (default: the reader's own). */
  heapMb?: number;
}

export interface HomeImportInput {
  path: string;
  /** The policy's size limit: a file (or the inflated total of a zip) larger than this is refused. */
  maxBytes: number;
  signal?: AbortSignal;
  /** A large file may be read in parts on two threads with this script (absent: one thread). */
  partThread?: PartThread;
}

export type HomeImportReader = (input: HomeImportInput) => AsyncGenerator<HomeImportEvent>;
