/**
 * The import pipeline without Electron or threads: read a home-data file with its reader, stage what it
 * holds, show a preview, store it in one transaction. The worker (./worker.ts) runs exactly this on its
 * own database connection; the bench calls importHomeFile directly.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError } from '../../shared/ipc';
import { daysInMonth } from '../../shared/records/calendar';
import type { CsvColumnMapping } from '../../shared/home-data/csv-mapping';
import {
  MAX_PROBLEMS_SHOWN,
  type HomeImportPreview,
  type HomeImportResult,
} from '../../shared/home-data/import-summary';
import type {
  ExportSubject,
  HomeImportFormat,
  HomeRecord,
  ImportProblem,
} from '../../shared/home-data/record';
import type { Database } from '../db/connection';
import { stageEcgs } from '../db/repositories/home-ecgs';
import {
  createHomeImportStage,
  withoutAutoCheckpoint,
  type HomeImportStage,
} from '../db/repositories/home-observations';
import { detectHomeImportFormat, readerFor } from './detect';
import type { HomeImportReader, PartThread } from './formats/events';
import { checkSubject, type ChartSubject } from './subject-check';
import { MAX_RECORD_ID_CHARS, plainTextCache, plausibleValue } from './record-guard';
import { ProblemLog } from './formats/problems';

/** 4 GiB: an Apple Health export.zip of several years fits; the policy's `homeImportMaxBytes` overrides it. */
export const DEFAULT_HOME_IMPORT_MAX_BYTES = 4 * 1024 ** 3;

/**
 * Records held in memory at most before they go to the staging file (about 8 MB). Each batch is one
 * transaction on the staging file, which rewrites the index pages it touched: fewer, larger batches write
 * far less (2,000 rows a batch cost three times as much per row as 20,000).
 */
export const HOME_IMPORT_BATCH = 20_000;
const PROGRESS_EVERY_MS = 100;
/** The longest problem message the preview shows. */
export const MAX_PROBLEM_CHARS = 400;
/**
 * Up to this size a file is staged in memory: its rows stay under about 50 MB (a CSV row takes 40 bytes
 * or more), and writing and encrypting pages that are read back once is spared. Larger files are staged
 * in an encrypted file, so memory stays bounded however large the export.
 */
export const MEMORY_STAGE_MAX_BYTES = 8 * 1024 ** 2;

export interface HomeImportProgressReport {
  phase: 'reading' | 'saving';
  bytesRead: number;
  bytesTotal: number | null;
  records: number;
}

export interface HomeFileJob {
  /** A read-write connection to the patient database (the worker's own, or the caller's). */
  db: Database;
  patientId: string;
  path: string;
  /** Detected from the content when absent. */
  format?: HomeImportFormat;
  /** Mapped CSV only: the layout's confirmed mapping. */
  mapping?: CsvColumnMapping;
  maxBytes?: number;
  /** Shown and stored as the file's name (default: the path's base name); never the path. */
  fileName?: string;
  signal?: AbortSignal;
  onProgress?: (progress: HomeImportProgressReport) => void;
  /** A reader other than the format's own (tests inject faults with it). */
  reader?: HomeImportReader;
  /** Records per staging batch (default HOME_IMPORT_BATCH). */
  batchRecords?: number;
  /** Stage in memory: by default a plain file up to MEMORY_STAGE_MAX_BYTES; otherwise an encrypted file. */
  stageInMemory?: boolean;
  /** Names the staging file (see stagingFile in the stage's repository). */
  stageToken?: string;
  /**
   * The script a reader may read a large file's later part with, on a second thread (the built worker's
   * bundle); default: the source, when run from it; null: one thread.
   */
  partThread?: PartThread | null;
}

/**
 * The later-part thread's script when this code runs from its TypeScript source (tests, the bench's
 * reader alone): the import worker's source through tsx. Built, the worker passes its own bundle; null here.
 */
export function partThreadFromSource(here = fileURLToPath(import.meta.url)): PartThread | null {
  if (!here.endsWith('.ts')) return null;
  const dir = path.dirname(here);
  return {
    script: pathToFileURL(path.join(dir, 'worker-source.mjs')),
    entry: pathToFileURL(path.join(dir, 'worker.ts')).href,
  };
}

export interface ImportHomeFileOptions extends HomeFileJob {
  /** The signed-in user who imports. */
  importedBy: string;
  /** The nurse confirmed the export is this patient's although its birth date or sex differ. */
  confirmSubjectMismatch?: boolean;
  now?: () => Date;
}

/** Thrown when the job's signal aborts: nothing was stored. */
export class HomeImportCancelled extends Error {
  constructor() {
    super('The import was cancelled; nothing was imported.');
    this.name = 'HomeImportCancelled';
  }
}

export interface StagedHomeFile {
  readonly preview: HomeImportPreview;
  /** Stores the staged records in one transaction (refuses a blocked file or an unconfirmed mismatch). */
  commit(options: {
    importedBy: string;
    confirmSubjectMismatch?: boolean;
    now?: () => Date;
    /** Written in the storing transaction (the import's audit record): if it throws, nothing is stored. */
    record?: (result: HomeImportResult) => void;
  }): HomeImportResult;
  discard(): void;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/** "2026-03-01T08:00:00.000Z": what toISOString() writes, and what most readers already give. */
const CANONICAL_UTC = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * A time as the UTC instant toISOString() writes, or undefined when it is not a readable time. A time
 * already written that way and naming a real day and hour is kept as it is (no parse and format per
 * record); any other is parsed, so "2026-02-30" rolls over as Date does.
 */
export function utcInstant(text: string): string | undefined {
  const canonical = CANONICAL_UTC.exec(text);
  if (canonical) {
    const year = Number(canonical[1]);
    const month = Number(canonical[2]);
    const day = Number(canonical[3]);
    if (day >= 1 && day <= daysInMonth(year, month) && Number(canonical[4]) <= 23) return text;
  }
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function withoutNames(r: HomeRecord): HomeRecord {
  const { sourceName: _source, device: _device, ...rest } = r;
  return rest;
}

function abortIfAsked(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new HomeImportCancelled();
}

/** Reads the whole file into a staging table and summarises it. The database is not changed. */
export async function stageHomeFile(job: HomeFileJob): Promise<StagedHomeFile> {
  const maxBytes = job.maxBytes ?? DEFAULT_HOME_IMPORT_MAX_BYTES;
  const fileName = job.fileName ?? path.basename(job.path);
  let fileBytes: number;
  try {
    const info = await stat(job.path);
    if (!info.isFile()) throw new AppError('VALIDATION', `${fileName} is not a file.`);
    fileBytes = info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('NOT_FOUND', `${fileName} could not be opened. Choose the file again.`);
  }
  if (fileBytes > maxBytes) {
    throw new AppError(
      'VALIDATION',
      `${fileName} is ${formatBytes(fileBytes)}, more than this workstation takes (${formatBytes(maxBytes)}). Nothing was imported.`,
    );
  }
  const patient = job.db
    .prepare('SELECT birth_date AS birthDate, sex, given, family FROM patients WHERE id = ?')
    .get(job.patientId) as ChartSubject | undefined;
  if (!patient) throw new AppError('NOT_FOUND', 'That patient was not found.');

  let format = job.format;
  if (!format) {
    const detected = await detectHomeImportFormat(job.path);
    if (typeof detected !== 'string') {
      throw new AppError('VALIDATION', `${fileName} is ${detected.unknown}. Nothing was imported.`);
    }
    format = detected;
  }
  if (format === 'mapped-csv' && !job.mapping && !job.reader) {
    throw new AppError('VALIDATION', 'Confirm which column holds what before this CSV file can be read.');
  }
  const batchRecords = job.batchRecords ?? HOME_IMPORT_BATCH;
  // Read on this thread, between the stage's batches: handing each record to a reader thread of its own
  // cost more than it saved on two cores (a 200 MB export read and staged in 7.6 s that way, 5.8 s here).
  const reader = job.reader ?? readerFor(format, job.mapping);

  const stage: HomeImportStage = createHomeImportStage(
    job.db,
    { patientId: job.patientId, format },
    // An Apple Health export.zip inflates to many times its size: only plain files are sized by their bytes.
    {
      inMemory: job.stageInMemory ?? (fileBytes <= MEMORY_STAGE_MAX_BYTES && format !== 'apple-health'),
      ...(job.stageToken ? { token: job.stageToken } : {}),
    },
  );
  const ecgs = stageEcgs(job.db, job.patientId);
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  let errors = 0;
  let warnings = 0;
  let subject: ExportSubject | null = null;
  // Names the file prints (watch ECGs), for the subject check only: at most one per ECG the file may hold.
  const printedNames = new Set<string>();
  let batch: HomeRecord[] = [];
  /** Records of a later part of the file, read by a second thread (see HomeImportStage.addLater). */
  let laterBatch: HomeRecord[] = [];
  let records = 0;
  let bytesRead = 0;
  let bytesTotal: number | null = fileBytes;
  let lastProgress = 0;
  const problem = (p: ImportProblem): void => {
    problemCount++;
    if (p.severity === 'error') errors++;
    else warnings++;
    // A message may quote the file (a cell of up to a megabyte): the preview shows its start.
    if (problems.length < MAX_PROBLEMS_SHOWN) {
      problems.push(
        p.message.length > MAX_PROBLEM_CHARS
          ? { ...p, message: `${p.message.slice(0, MAX_PROBLEM_CHARS - 1)}…` }
          : p,
      );
    }
  };
  // Stored as UTC instants, so a range query orders exports written with different offsets.
  const withUtcTimes = (r: HomeRecord): HomeRecord | undefined => {
    const start = utcInstant(r.effectiveStart);
    const end = r.effectiveEnd === undefined ? undefined : utcInstant(r.effectiveEnd);
    if (start === undefined || (r.effectiveEnd !== undefined && end === undefined)) {
      problem({ severity: 'warning', message: 'A record without a readable time was left out.' });
      return undefined;
    }
    if (start === r.effectiveStart && end === r.effectiveEnd) return r;
    return { ...r, effectiveStart: start, ...(end !== undefined ? { effectiveEnd: end } : {}) };
  };
  // A reading dated after tomorrow (in any zone) is from a device whose clock is wrong, or a file built to
  // stay at the top of the chart as the "latest" value.
  const latestStart = new Date(Date.now() + 2 * 24 * 3600_000).toISOString();
  const plainSource = plainTextCache(256);
  const plainDevice = plainTextCache(512);
  /** Records left out here: the first few of each kind listed, the rest counted, as readers do. */
  const leftOut = new ProblemLog();
  const leaveOut = (message: string): undefined => {
    const shown = leftOut.report(message, { severity: 'warning', message });
    if (shown?.type === 'problem') problem(shown.problem);
    return undefined;
  };
  /** Whatever the reader: no value a person cannot have, no name with characters that hide its text. */
  const checked = (r: HomeRecord): HomeRecord | undefined => {
    if (r.sourceRecordId.length > MAX_RECORD_ID_CHARS) {
      return leaveOut('A record whose identity is longer than any export writes was left out.');
    }
    if (!plausibleValue(r)) {
      return leaveOut('A record with a value no person can have (or not a number) was left out.');
    }
    const sourceName = r.sourceName === undefined ? undefined : plainSource(r.sourceName);
    const device = r.device === undefined ? undefined : plainDevice(r.device);
    const timed =
      sourceName === r.sourceName && device === r.device
        ? withUtcTimes(r)
        : withUtcTimes({
            ...withoutNames(r),
            ...(sourceName ? { sourceName } : {}),
            ...(device ? { device } : {}),
          });
    if (timed && timed.effectiveStart > latestStart) {
      return leaveOut('A record dated in the future was left out (the device’s clock may be wrong).');
    }
    return timed;
  };
  /** Adds a record to a batch; true when the batch is full. */
  const take = (into: HomeRecord[], record: HomeRecord): boolean => {
    const r = checked(record);
    if (!r) return false;
    into.push(r);
    records++;
    return into.length >= batchRecords;
  };
  /** Stages a full batch; the next one starts empty. */
  const flushed = (full: HomeRecord[], add: (records: readonly HomeRecord[]) => void): HomeRecord[] => {
    add(full);
    report('reading');
    return [];
  };
  const report = (phase: HomeImportProgressReport['phase'], force = false): void => {
    if (!job.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    job.onProgress({ phase, bytesRead, bytesTotal, records });
  };
  try {
    abortIfAsked(job.signal);
    const partThread = job.partThread === undefined ? partThreadFromSource() : job.partThread;
    for await (const event of reader({
      path: job.path,
      maxBytes,
      ...(job.signal ? { signal: job.signal } : {}),
      ...(partThread ? { partThread } : {}),
    })) {
      abortIfAsked(job.signal);
      switch (event.type) {
        case 'record':
          if (take(batch, event.record)) batch = flushed(batch, stage.add);
          break;
        case 'laterRecords':
          // Staged as the first part's records are, in batches: each is one transaction on the staging file.
          for (const record of event.records) {
            if (take(laterBatch, record)) laterBatch = flushed(laterBatch, stage.addLater);
          }
          break;
        case 'laterRecordsDropped':
          records -= stage.dropLater() + laterBatch.length;
          laterBatch = [];
          break;
        case 'problem':
          problem(event.problem);
          break;
        case 'subject':
          subject = event.subject;
          break;
        case 'exportedAt':
          stage.exportedAt(event.at);
          break;
        case 'ecg':
          if (event.name) printedNames.add(event.name);
          ecgs.add({ ecg: event.ecg, samples: event.samples });
          break;
        case 'progress':
          bytesRead = event.bytesRead;
          if (event.bytesTotal !== undefined) bytesTotal = event.bytesTotal;
          report('reading');
          break;
      }
    }
    abortIfAsked(job.signal);
    for (const summary of leftOut.summaries()) if (summary.type === 'problem') problem(summary.problem);
    stage.add(batch);
    stage.addLater(laterBatch);
    batch = [];
    laterBatch = [];
  } catch (error) {
    stage.drop();
    if (job.signal?.aborted) throw new HomeImportCancelled();
    throw error;
  }
  bytesRead = Math.max(bytesRead, bytesTotal ?? 0);
  report('reading', true);

  const summary = stage.summary();
  if (summary.olderTotals > 0) {
    problem({
      severity: 'warning',
      message: `This export was made before one already imported: ${summary.olderTotals === 1 ? 'its day or night total was' : `${summary.olderTotals} day and night totals were`} left as the newer export gave ${summary.olderTotals === 1 ? 'it' : 'them'}.`,
    });
  }
  const subjectCheck = checkSubject(subject, patient, printedNames);
  const preview: HomeImportPreview = {
    format,
    fileName,
    fileBytes,
    recordsRead: summary.recordsRead,
    newRecords: summary.newRecords,
    alreadyImported: summary.alreadyImported,
    duplicatesInFile: summary.duplicatesInFile,
    firstEffective: summary.firstEffective,
    lastEffective: summary.lastEffective,
    counts: summary.counts,
    sources: summary.sources,
    samples: summary.samples,
    problems,
    problemCount,
    blocked: errors > 0,
    subjectCheck,
  };
  const ecgPreview = ecgs.preview();
  if (ecgPreview) preview.ecgs = ecgPreview;
  const chosenFormat = format;
  return {
    preview,
    commit(options) {
      if (preview.blocked) {
        throw new AppError(
          'VALIDATION',
          `${fileName} has ${errors === 1 ? 'a problem' : `${errors} problems`} that must be fixed first. Nothing was imported.`,
          problems
            .filter((p) => p.severity === 'error')
            .slice(0, 5)
            .map((p) => ({ path: p.at ? `line ${p.at}` : 'file', message: p.message })),
        );
      }
      if (subjectCheck.mismatches.length > 0 && !options.confirmSubjectMismatch) {
        throw new AppError(
          'NEEDS_CONFIRMATION',
          `This export names a different ${subjectCheck.mismatches.join(' and ')} than the patient's chart. Confirm it is this patient's before importing.`,
          [{ path: 'confirmSubjectMismatch', message: 'The export may belong to someone else.' }],
        );
      }
      report('saving', true);
      // The ECGs and the import's audit record go in the same transaction as the values (the stage's own
      // becomes a savepoint in it).
      const result = withoutAutoCheckpoint(job.db, () =>
        job.db.transaction((): HomeImportResult => {
          const { importId, added } = stage.commit({
            fileName,
            fileBytes,
            importedAt: (options.now ?? (() => new Date()))().toISOString(),
            importedBy: options.importedBy,
            warnings,
            subjectConfirmed: subjectCheck.mismatches.length > 0,
          });
          const ecgsAdded = ecgs.store(importId);
          const stored: HomeImportResult = {
            importId,
            format: chosenFormat,
            recordsRead: summary.recordsRead,
            added,
            alreadyImported: summary.distinct - added,
            duplicatesInFile: summary.duplicatesInFile,
            warnings,
            ...(ecgPreview ? { ecgsAdded } : {}),
          };
          options.record?.(stored);
          return stored;
        })(),
      );
      stage.drop();
      return result;
    },
    discard: () => stage.drop(),
  };
}

/** Reads a file and shows what importing it would do; stores nothing. */
export async function previewHomeFile(job: HomeFileJob): Promise<HomeImportPreview> {
  const staged = await stageHomeFile(job);
  staged.discard();
  return staged.preview;
}

/** Reads a file and stores it for the patient in one transaction: all its new records or none. */
export async function importHomeFile(options: ImportHomeFileOptions): Promise<HomeImportResult> {
  const staged = await stageHomeFile(options);
  try {
    abortIfAsked(options.signal);
    return staged.commit({
      importedBy: options.importedBy,
      ...(options.confirmSubjectMismatch !== undefined
        ? { confirmSubjectMismatch: options.confirmSubjectMismatch }
        : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  } finally {
    staged.discard();
  }
}
