/**
 * The import's worker thread: opens its own connection to the patient database, reads and stages the
 * file (the preview), then on the nurse's word stores it in one transaction, or drops it on cancel.
 * The main thread only relays messages, so intake and review stay responsive however large the file.
 * The same script, started with a later part's data, is the thread that reads the later part of a large
 * Apple Health export (./formats/apple-health/later-part.ts).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { AppError, type IpcErrorPayload } from '../../shared/ipc';
import type { HomeImportResult } from '../../shared/home-data/import-summary';
import { AUDIT_NOT_RECORDED_CHANGE } from '../audit/atomic-writes';
import { createAuditStore } from '../audit/audit-store';
import { openDatabase } from '../db/connection';
import { toDbAppError } from '../db/errors';
import { checkpointAfterImport } from '../db/repositories/home-observations';
import { isLaterPartData } from './formats/apple-health/later-part';
import { serveLaterPart } from './formats/apple-health/later-part-thread';
import { HomeImportCancelled, stageHomeFile, type StagedHomeFile } from './pipeline';
import type { FromWorker, HomeImportWorkerData, ImportAuditContext, ToWorker } from './worker-protocol';

function runImport(): void {
  function requirePort(): MessagePort {
    if (!parentPort) throw new Error('The home-data import runs only as a worker thread.');
    return parentPort;
  }
  const port = requirePort();
  const data = workerData as HomeImportWorkerData;
  const post = (message: FromWorker): void => port.postMessage(message);
  const controller = new AbortController();
  let staged: StagedHomeFile | undefined;

  function errorPayload(error: unknown): IpcErrorPayload {
    if (error instanceof AppError) return error.toPayload();
    const db = toDbAppError(error);
    if (db) return db.toPayload();
    // A constraint the database refused, or a bug: no message text, it may quote the file's content.
    return { code: 'INTERNAL', message: 'The file could not be imported. Nothing was imported.' };
  }

  const db = openDatabase({
    file: data.database.file,
    key: Buffer.from(data.database.key),
    ...(data.database.nativeBinding ? { nativeBinding: data.database.nativeBinding } : {}),
    // The main connection checked the file when the app opened it.
    integrityCheck: 'none',
  });

  let trail: ReturnType<typeof createAuditStore> | undefined;
  /**
   * Writes the import's audit record (counts only) in the storing transaction; a record the trail cannot
   * take rolls the import back. The head is moved and signed as the app's own writes do.
   */
  function recordImport(audit: ImportAuditContext, at: string): (result: HomeImportResult) => void {
    return (result) => {
      try {
        // Opened once, at the first Import (a second one follows a confirmation the nurse was asked for).
        trail ??= createAuditStore(db, { key: Buffer.from(data.database.auditKey), mayStart: false });
        trail.append({
          at,
          actorUserId: audit.actorUserId,
          actorRole: audit.actorRole,
          workstation: audit.workstation,
          action: 'homeData.imported',
          resourceType: 'Observation',
          resourceId: result.importId,
          patientId: data.job.patientId,
          outcome: 'success',
          detail: `format:${result.format};read:${result.recordsRead};added:${result.added}`,
        });
      } catch {
        throw new AppError('UNAVAILABLE', AUDIT_NOT_RECORDED_CHANGE);
      }
    };
  }

  function finish(message: FromWorker): void {
    staged?.discard();
    post(message);
    // After the answer: the nurse does not wait for the stored pages to reach the database file.
    if (message.type === 'committed') {
      try {
        checkpointAfterImport(db);
      } catch {
        // Left to SQLite's next automatic checkpoint; the import is already durable in the log.
      }
    }
    db.close();
    port.close();
  }

  port.on('message', (message: ToWorker) => {
    if (message.type === 'cancel') {
      controller.abort();
      // While reading, the pipeline notices the abort and the read loop below answers.
      if (staged) finish({ type: 'cancelled' });
      return;
    }
    if (!staged) return;
    try {
      const result = staged.commit({
        importedBy: message.importedBy,
        confirmSubjectMismatch: message.confirmSubjectMismatch,
        now: () => new Date(message.now),
        record: recordImport(message.audit, message.now),
      });
      finish({ type: 'committed', result });
    } catch (error) {
      const payload = errorPayload(error);
      // A refusal the nurse can act on (confirm the subject) keeps the staged file for a second try.
      if (payload.code === 'NEEDS_CONFIRMATION') post({ type: 'failed', error: payload, stage: 'commit' });
      else finish({ type: 'failed', error: payload, stage: 'commit' });
    }
  });

  stageHomeFile({
    db,
    ...data.job,
    // Built, this bundle is also the script of the thread that reads a large export's later part; from
    // source the pipeline finds the source.
    ...(import.meta.url.endsWith('.ts') ? {} : { partThread: { script: new URL(import.meta.url) } }),
    signal: controller.signal,
    onProgress: (progress) => post({ type: 'progress', progress }),
  }).then(
    (result) => {
      staged = result;
      if (controller.signal.aborted) finish({ type: 'cancelled' });
      else post({ type: 'preview', preview: result.preview });
    },
    (error: unknown) => {
      if (error instanceof HomeImportCancelled) finish({ type: 'cancelled' });
      else finish({ type: 'failed', error: errorPayload(error), stage: 'preview' });
    },
  );
}

if (isLaterPartData(workerData)) {
  if (!parentPort) throw new Error('The later part of an export is read only on a worker thread.');
  void serveLaterPart(parentPort, workerData);
} else runImport();
