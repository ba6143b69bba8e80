/**
 * The app's home-data import: the file dialog, one worker thread per file (its preview kept until the
 * nurse imports or cancels), progress events, the policy's size limit and the audit trail.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CsvColumnMapping } from '../../shared/home-data/csv-mapping';
import type { HomeImportPreview, HomeImportResult } from '../../shared/home-data/import-summary';
import { AppError } from '../../shared/ipc';
import type { AuditActor, AuditRecorder } from '../audit/recorder';
import type { EventBus } from '../ipc/event-bus';
import type { Clock } from '../platform/clock';
import type { HomeFilePicker } from './file-picker';
import { DEFAULT_HOME_IMPORT_MAX_BYTES } from './pipeline';
import { startHomeImportWorker, type HomeImportWorkerJob, type WorkerOutcome } from './worker-client';
import type { WorkerDatabaseSpec } from './worker-protocol';

/** A preview nobody imports or cancels is dropped after this long (its worker holds the staged file). */
const IDLE_JOB_MS = 30 * 60_000;
const MAX_FILES_PER_WINDOW = 20;

interface ChosenFile {
  path: string;
  fileName: string;
  fileBytes: number;
}

interface Job {
  senderId: string;
  patientId: string;
  worker: HomeImportWorkerJob;
  timer: NodeJS.Timeout;
}

export interface HomeImportService {
  chooseFile(senderId: string): Promise<{ token: string; fileName: string; fileBytes: number } | null>;
  preview(
    request: { jobId: string; patientId: string; fileToken: string; mapping?: CsvColumnMapping },
    senderId: string,
  ): Promise<WorkerOutcome<HomeImportPreview>>;
  import(
    request: { jobId: string; patientId: string; confirmSubjectMismatch: boolean },
    senderId: string,
    actor: AuditActor & { userId: string },
  ): Promise<WorkerOutcome<HomeImportResult>>;
  cancel(request: { jobId: string; patientId: string }, senderId: string): Promise<void>;
  close(): Promise<void>;
}

export function createHomeImportService(deps: {
  /** The worker's own connection; `release` is called once the worker has ended. */
  database: () => WorkerDatabaseSpec & { release?: () => void };
  picker: () => HomeFilePicker;
  maxBytes: () => number | undefined;
  audit: AuditRecorder;
  events: EventBus;
  clock: Clock;
  /** Told after values were stored (sync counts them and sends them). */
  onStored?: () => void;
  /** Tests: the worker script (default: the bundle's or the source's). */
  workerScript?: { script: URL; entry?: string };
}): HomeImportService {
  const files = new Map<string, Map<string, ChosenFile>>();
  const jobs = new Map<string, Job>();

  const fileOf = (senderId: string, token: string): ChosenFile => {
    const file = files.get(senderId)?.get(token);
    if (!file) throw new AppError('NOT_FOUND', 'That file is no longer chosen. Choose it again.');
    return file;
  };
  const jobOf = (jobId: string, senderId: string, patientId: string): Job => {
    const job = jobs.get(jobId);
    // Another window's job, or another patient's, is as good as absent.
    if (!job || job.senderId !== senderId || job.patientId !== patientId) {
      throw new AppError('NOT_FOUND', 'That file is no longer open. Choose it again.');
    }
    return job;
  };
  const end = async (jobId: string): Promise<void> => {
    const job = jobs.get(jobId);
    if (!job) return;
    jobs.delete(jobId);
    clearTimeout(job.timer);
    await job.worker.cancel();
  };

  return {
    async chooseFile(senderId) {
      const chosen = await deps.picker().pick();
      if (!chosen) return null;
      let fileBytes: number;
      try {
        fileBytes = (await stat(chosen)).size;
      } catch {
        throw new AppError('NOT_FOUND', 'That file could not be opened.');
      }
      const token = randomBytes(16).toString('hex');
      const mine = files.get(senderId) ?? new Map<string, ChosenFile>();
      mine.set(token, { path: chosen, fileName: path.basename(chosen), fileBytes });
      // Keep the newest few: a window that chooses all day does not grow this without end.
      while (mine.size > MAX_FILES_PER_WINDOW) mine.delete(mine.keys().next().value!);
      files.set(senderId, mine);
      return { token, fileName: path.basename(chosen), fileBytes };
    },

    async preview(request, senderId) {
      if (jobs.has(request.jobId)) throw new AppError('CONFLICT', 'That import has already started.');
      const file = fileOf(senderId, request.fileToken);
      // One file at a time per window: a new preview ends the one before.
      for (const [id, job] of jobs) if (job.senderId === senderId) await end(id);
      const { release, ...database } = deps.database();
      const worker = startHomeImportWorker(
        {
          database,
          job: {
            patientId: request.patientId,
            path: file.path,
            fileName: file.fileName,
            maxBytes: deps.maxBytes() ?? DEFAULT_HOME_IMPORT_MAX_BYTES,
            ...(request.mapping ? { mapping: request.mapping } : {}),
          },
        },
        (progress) => deps.events.emit('homeData.progress', { jobId: request.jobId, ...progress }),
        deps.workerScript,
      );
      // Key rotation waits for this: the lease ends with the thread (stored, cancelled, failed or idle).
      void worker.ended.then(() => release?.());
      const timer = setTimeout(() => void end(request.jobId), IDLE_JOB_MS);
      timer.unref();
      jobs.set(request.jobId, { senderId, patientId: request.patientId, worker, timer });
      try {
        const outcome = await worker.preview;
        if (outcome.status === 'cancelled') await end(request.jobId);
        return outcome;
      } catch (error) {
        await end(request.jobId);
        throw error;
      }
    },

    async import(request, senderId, actor) {
      const job = jobOf(request.jobId, senderId, request.patientId);
      try {
        const outcome = await job.worker.commit({
          importedBy: actor.userId,
          confirmSubjectMismatch: request.confirmSubjectMismatch,
          now: deps.clock.now(),
        });
        if (outcome.status === 'done') {
          // The stored import, with its counts (numbers only), beside the call's own audit record.
          deps.audit.record({
            actor,
            action: 'homeData.imported',
            outcome: 'success',
            resourceType: 'Observation',
            resourceId: outcome.value.importId,
            patientId: request.patientId,
            detail: `format:${outcome.value.format};read:${outcome.value.recordsRead};added:${outcome.value.added}`,
          });
          deps.onStored?.();
        }
        jobs.delete(request.jobId);
        clearTimeout(job.timer);
        return outcome;
      } catch (error) {
        // Confirmation asked for: the staged file waits for the nurse's answer. Anything else ends it.
        if (!(error instanceof AppError && error.code === 'NEEDS_CONFIRMATION')) await end(request.jobId);
        throw error;
      }
    },

    async cancel(request, senderId) {
      jobOf(request.jobId, senderId, request.patientId);
      await end(request.jobId);
    },

    async close() {
      await Promise.all([...jobs.keys()].map((id) => end(id)));
      files.clear();
    },
  };
}
