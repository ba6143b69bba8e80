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
import type { CsvMappingStore } from '../settings/csv-mapping-store';
import { detectHomeImportFormat } from './detect';
import type { HomeFilePicker } from './file-picker';
import { previewCsvLayout, tryMappedCsvRows, type MappedSampleRow } from './formats/mapped-csv';
import { knownUnits } from './formats/measure-units';
import { SourceError } from './formats/source-file';
import { homeMeasureSchema } from '../../shared/home-data/record';
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
  /** The nurse's newly confirmed mapping: remembered for its layout once the file imports. */
  confirmedMapping?: CsvColumnMapping;
}

/** A CSV of no known kind whose columns the nurse must map (no saved mapping, or she chose Change). */
export interface NeedsMapping {
  status: 'needs-mapping';
  header: string[];
  delimiter: ',' | ';' | '\t';
  layoutKey: string;
  sampleRows: string[][];
  remembered: CsvColumnMapping | null;
  units: Record<string, string[]>;
}

export type PreviewOutcome =
  | { status: 'done'; value: HomeImportPreview; csvMapping?: 'saved' | 'confirmed' }
  | { status: 'cancelled' }
  | NeedsMapping;

/** Sample rows shown on the mapping form: a few, so the nurse sees the pattern. */
const SAMPLE_ROWS = 5;
const UNITS: Record<string, string[]> = Object.fromEntries(
  homeMeasureSchema.options.map((m) => [m, knownUnits(m)]),
);

export interface HomeImportService {
  chooseFile(senderId: string): Promise<{ token: string; fileName: string; fileBytes: number } | null>;
  /** Holds a file the window host says the nurse dropped (its path found by the host, never the page). */
  holdFile(
    senderId: string,
    file: { path: string; fileName: string },
  ): Promise<{ token: string; fileName: string; fileBytes: number }>;
  preview(
    request: {
      jobId: string;
      patientId: string;
      fileToken: string;
      mapping?: CsvColumnMapping;
      remap?: boolean;
    },
    senderId: string,
  ): Promise<PreviewOutcome>;
  /** The first rows of a chosen CSV read with a proposed mapping (nothing is staged or stored). */
  tryMapping(
    request: { fileToken: string; mapping: CsvColumnMapping },
    senderId: string,
  ): Promise<MappedSampleRow[]>;
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
  /** The workstation's name, as the audit trail records it. */
  workstation: () => string;
  events: EventBus;
  clock: Clock;
  /** Told after values were stored (sync counts them and sends them). */
  onStored?: () => void;
  csvMappings: CsvMappingStore;
  /** Tests: the worker script (default: the bundle's or the source's). */
  workerScript?: { script: URL; entry?: string };
}): HomeImportService {
  const files = new Map<string, Map<string, ChosenFile>>();
  const jobs = new Map<string, Job>();

  /** A file the nurse chose or dropped, held for her window under a random token (the page never sees the path). */
  const hold = async (senderId: string, filePath: string, fileName: string) => {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(filePath);
    } catch {
      throw new AppError('NOT_FOUND', 'That file could not be opened.');
    }
    // A pipe or a device (a link to /dev/zero) never ends: it is refused before anything reads it.
    if (!info.isFile()) {
      throw new AppError(
        'NOT_FOUND',
        `${fileName} is not a file that can be imported (a folder, a device or a pipe).`,
      );
    }
    const fileBytes = info.size;
    const token = randomBytes(16).toString('hex');
    const mine = files.get(senderId) ?? new Map<string, ChosenFile>();
    mine.set(token, { path: filePath, fileName, fileBytes });
    // Keep the newest few: a window that chooses all day does not grow this without end.
    while (mine.size > MAX_FILES_PER_WINDOW) mine.delete(mine.keys().next().value!);
    files.set(senderId, mine);
    return { token, fileName, fileBytes };
  };
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
      return hold(senderId, chosen, path.basename(chosen));
    },

    holdFile: (senderId, file) => hold(senderId, file.path, path.basename(file.fileName)),

    async preview(request, senderId) {
      if (jobs.has(request.jobId)) throw new AppError('CONFLICT', 'That import has already started.');
      const file = fileOf(senderId, request.fileToken);
      // One file at a time per window: a new preview ends the one before.
      for (const [id, job] of jobs) if (job.senderId === senderId) await end(id);
      const maxBytes = deps.maxBytes() ?? DEFAULT_HOME_IMPORT_MAX_BYTES;
      let mapping = request.mapping;
      let csvMapping: 'saved' | 'confirmed' | undefined = mapping ? 'confirmed' : undefined;
      if (!mapping) {
        // Only a CSV of no known kind is read here first (its header, a few rows): the worker reads the rest.
        const format = await detectHomeImportFormat(file.path).catch(() => undefined);
        if (format === 'mapped-csv') {
          const layout = await csvLayoutOf(file.path, maxBytes);
          const saved = deps.csvMappings.get(layout.layoutKey);
          if (saved && !request.remap) {
            mapping = saved;
            csvMapping = 'saved';
          } else {
            return { status: 'needs-mapping', ...layout, remembered: saved ?? null, units: UNITS };
          }
        }
      }
      const { release, ...database } = deps.database();
      const worker = startHomeImportWorker(
        {
          database,
          job: {
            patientId: request.patientId,
            path: file.path,
            fileName: file.fileName,
            maxBytes,
            ...(mapping ? { mapping } : {}),
          },
        },
        (progress) => deps.events.emit('homeData.progress', { jobId: request.jobId, ...progress }),
        deps.workerScript,
      );
      // Key rotation waits for this: the lease ends with the thread (stored, cancelled, failed or idle).
      void worker.ended.then(() => release?.());
      const timer = setTimeout(() => void end(request.jobId), IDLE_JOB_MS);
      timer.unref();
      jobs.set(request.jobId, {
        senderId,
        patientId: request.patientId,
        worker,
        timer,
        ...(csvMapping === 'confirmed' && mapping ? { confirmedMapping: mapping } : {}),
      });
      try {
        const outcome = await worker.preview;
        if (outcome.status === 'cancelled') await end(request.jobId);
        return outcome.status === 'done' && csvMapping ? { ...outcome, csvMapping } : outcome;
      } catch (error) {
        await end(request.jobId);
        throw error;
      }
    },

    async import(request, senderId, actor) {
      const job = jobOf(request.jobId, senderId, request.patientId);
      try {
        // The worker writes the import's audit record in the transaction that stores it: an import the
        // trail cannot record is not stored.
        const outcome = await job.worker.commit({
          importedBy: actor.userId,
          confirmSubjectMismatch: request.confirmSubjectMismatch,
          now: deps.clock.now(),
          audit: { actorUserId: actor.userId, actorRole: actor.role, workstation: deps.workstation() },
        });
        if (outcome.status === 'done') {
          deps.onStored?.();
          if (job.confirmedMapping) {
            // Remembered only once a file really imported with it: a mapping abandoned at the preview is not.
            const saved = deps.csvMappings.save(job.confirmedMapping);
            deps.audit.record({
              actor,
              action: 'homeData.csvMappingSaved',
              outcome: 'success',
              resourceType: 'CsvColumnMapping',
              resourceId: saved.layoutKey,
              detail: `layout:${saved.layoutKey};columns:${Object.keys(saved.columns).join(',')}`,
            });
          }
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

    async tryMapping(request, senderId) {
      const file = fileOf(senderId, request.fileToken);
      try {
        return await tryMappedCsvRows(
          { path: file.path, maxBytes: deps.maxBytes() ?? DEFAULT_HOME_IMPORT_MAX_BYTES },
          request.mapping,
          SAMPLE_ROWS,
        );
      } catch (error) {
        if (error instanceof SourceError) throw new AppError('VALIDATION', error.message);
        throw new AppError('NOT_FOUND', 'That file could not be read. Choose it again.');
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

async function csvLayoutOf(
  file: string,
  maxBytes: number,
): Promise<Omit<NeedsMapping, 'status' | 'remembered' | 'units'>> {
  try {
    return await previewCsvLayout({ path: file, maxBytes }, SAMPLE_ROWS);
  } catch (error) {
    if (error instanceof SourceError)
      throw new AppError('VALIDATION', `${error.message} Nothing was imported.`);
    throw new AppError('NOT_FOUND', 'That file could not be opened. Choose it again.');
  }
}
