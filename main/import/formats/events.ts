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
  | { type: 'progress'; bytesRead: number; bytesTotal?: number };

export interface HomeImportInput {
  path: string;
  /** The policy's size limit: a file (or the inflated total of a zip) larger than this is refused. */
  maxBytes: number;
  signal?: AbortSignal;
}

export type HomeImportReader = (input: HomeImportInput) => AsyncGenerator<HomeImportEvent>;
