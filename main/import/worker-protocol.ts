/** Messages between the import service (main thread) and its worker thread. Both sides are this app's code. */
import type { CsvColumnMapping } from '../../shared/home-data/csv-mapping';
import type { HomeImportPreview, HomeImportResult } from '../../shared/home-data/import-summary';
import type { HomeImportFormat } from '../../shared/home-data/record';
import type { IpcErrorPayload } from '../../shared/ipc';
import type { HomeImportProgressReport } from './pipeline';

/** How the worker opens its own connection to the encrypted database. Never leaves the process. */
export interface WorkerDatabaseSpec {
  file: string;
  key: Uint8Array;
  nativeBinding?: string;
  /** Signs the audit trail's head: the import's audit record is written in its storing transaction. */
  auditKey: Uint8Array;
}

/** Who imports, and where: the import's audit record, written by the worker with the values. */
export interface ImportAuditContext {
  actorUserId: string;
  actorRole: string | null;
  workstation: string;
}

export interface HomeImportWorkerData {
  database: WorkerDatabaseSpec;
  job: {
    patientId: string;
    path: string;
    fileName: string;
    format?: HomeImportFormat;
    mapping?: CsvColumnMapping;
    maxBytes: number;
    /** Names the import's staging file, so that it is removed even if the thread dies (see the client). */
    stageToken?: string;
  };
}

export type ToWorker =
  | {
      type: 'commit';
      importedBy: string;
      confirmSubjectMismatch: boolean;
      now: string;
      audit: ImportAuditContext;
    }
  | { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; progress: HomeImportProgressReport }
  | { type: 'preview'; preview: HomeImportPreview }
  | { type: 'committed'; result: HomeImportResult }
  | { type: 'cancelled' }
  /** A refusal the nurse should read (AppError), or `INTERNAL` for anything else (no details: PHI). */
  | { type: 'failed'; error: IpcErrorPayload; stage: 'preview' | 'commit' };
