/**
 * Patient-generated (home) observations: staging an import, storing it in one transaction, and reading
 * it back for review. Kept apart from `observations` (migration 050), so clinic rules never see it.
 *
 * An import is read into a TEMP table of the importing connection first (memory only, so nothing of the
 * file reaches disk unencrypted, and no lock on the database is held while a large file is read); the
 * database itself changes only in commit(), one transaction that adds the import record and every record
 * not stored before. A cancel or a failure before or inside it leaves the database as it was.
 */
import { randomBytes } from 'node:crypto';
import { HOME_MEASURE_UNITS, type HomeImportFormat, type HomeRecord } from '../../../shared/home-data/record';
import type {
  HomeImportRecord,
  HomeObservation,
  HomeSampleRow,
  HomeSource,
} from '../../../shared/home-data/import-summary';
import type { HomeMeasure } from '../../../shared/home-data/record';
import type { Database } from '../connection';
import { newId } from '../ids';

export interface StageSummary {
  recordsRead: number;
  /** Distinct source records in the file. */
  distinct: number;
  duplicatesInFile: number;
  newRecords: number;
  alreadyImported: number;
  firstEffective: string | null;
  lastEffective: string | null;
  counts: { measure: HomeMeasure; count: number }[];
  sources: HomeSource[];
  samples: HomeSampleRow[];
}

export interface ImportMeta {
  fileName: string;
  fileBytes: number;
  importedAt: string;
  importedBy: string;
  warnings: number;
  subjectConfirmed: boolean;
}

export interface HomeImportStage {
  /** Adds records read from the file (one small transaction on the TEMP table per call). */
  add(records: readonly HomeRecord[]): void;
  summary(samplesPerMeasure?: number): StageSummary;
  /** The one transaction that changes the database. Returns the new import's id and how many records it added. */
  commit(meta: ImportMeta): { importId: string; added: number };
  /** Drops the staging table; safe to call twice. */
  drop(): void;
}

interface SampleDbRow {
  measure: HomeMeasure;
  effective_start: string;
  effective_end: string | null;
  value: number;
  diastolic: number | null;
  beyond_range: 'below' | 'above' | null;
  source_name: string | null;
  device: string | null;
}

function toSample(row: SampleDbRow): HomeSampleRow {
  return {
    measure: row.measure,
    effectiveStart: row.effective_start,
    effectiveEnd: row.effective_end,
    value: row.value,
    diastolic: row.diastolic,
    unit: HOME_MEASURE_UNITS[row.measure],
    beyondRange: row.beyond_range,
    sourceName: row.source_name,
    device: row.device,
  };
}

export function createHomeImportStage(
  db: Database,
  target: { patientId: string; format: HomeImportFormat },
): HomeImportStage {
  // Memory only: a staged file is PHI and a temp file would not be under the database key.
  db.pragma('temp_store = MEMORY');
  const table = `temp.home_stage_${randomBytes(6).toString('hex')}`;
  // No constraints beyond the identity: the real table's checks are the guard, at commit.
  db.exec(`CREATE TABLE ${table} (
    source_record_id TEXT NOT NULL PRIMARY KEY,
    measure TEXT, value REAL, diastolic REAL, unit TEXT,
    effective_start TEXT, effective_end TEXT, beyond_range TEXT, source_name TEXT, device TEXT
  )`);
  let read = 0;
  let dropped = false;
  const insert = db.prepare(
    `INSERT INTO ${table} (source_record_id, measure, value, diastolic, unit, effective_start, effective_end,
       beyond_range, source_name, device)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_record_id) DO NOTHING`,
  );
  const addAll = db.transaction((records: readonly HomeRecord[]) => {
    for (const r of records) {
      insert.run(
        r.sourceRecordId,
        r.measure,
        r.value,
        r.diastolic ?? null,
        HOME_MEASURE_UNITS[r.measure] ?? null,
        r.effectiveStart,
        r.effectiveEnd ?? null,
        r.beyondRange ?? null,
        r.sourceName ?? null,
        r.device ?? null,
      );
    }
  });
  const notStored = `NOT EXISTS (SELECT 1 FROM main.home_observations h
      WHERE h.patient_id = @patientId AND h.format = @format AND h.source_record_id = s.source_record_id)`;
  const params = { patientId: target.patientId, format: target.format };

  return {
    add(records) {
      if (records.length === 0) return;
      addAll(records);
      read += records.length;
    },
    summary(samplesPerMeasure = 2) {
      const distinct = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      const newRecords = db
        .prepare(`SELECT count(*) FROM ${table} s WHERE ${notStored}`)
        .pluck()
        .get(params) as number;
      const range = db
        .prepare(
          `SELECT min(effective_start) AS first, max(coalesce(effective_end, effective_start)) AS last FROM ${table}`,
        )
        .get() as { first: string | null; last: string | null };
      const counts = db
        .prepare(
          `SELECT measure, count(*) AS count FROM ${table} GROUP BY measure ORDER BY count DESC, measure`,
        )
        .all() as { measure: HomeMeasure; count: number }[];
      const sources = (
        db
          .prepare(
            `SELECT source_name, device, count(*) AS count FROM ${table}
             GROUP BY source_name, device ORDER BY count DESC LIMIT 50`,
          )
          .all() as { source_name: string | null; device: string | null; count: number }[]
      ).map((s) => ({ sourceName: s.source_name, device: s.device, count: s.count }));
      const samples = (
        db
          .prepare(
            `SELECT measure, effective_start, effective_end, value, diastolic, beyond_range, source_name, device
             FROM (SELECT *, row_number() OVER (PARTITION BY measure ORDER BY effective_start) AS n FROM ${table})
             WHERE n <= ? ORDER BY measure, effective_start`,
          )
          .all(samplesPerMeasure) as SampleDbRow[]
      ).map(toSample);
      return {
        recordsRead: read,
        distinct,
        duplicatesInFile: read - distinct,
        newRecords,
        alreadyImported: distinct - newRecords,
        firstEffective: range.first,
        lastEffective: range.last,
        counts,
        sources,
        samples,
      };
    },
    commit(meta) {
      const importId = newId();
      const run = db.transaction(() => {
        const range = db
          .prepare(
            `SELECT min(effective_start) AS first, max(coalesce(effective_end, effective_start)) AS last FROM ${table}`,
          )
          .get() as { first: string | null; last: string | null };
        const added = db
          .prepare(`SELECT count(*) FROM ${table} s WHERE ${notStored}`)
          .pluck()
          .get(params) as number;
        db.prepare(
          `INSERT INTO home_imports (id, patient_id, format, file_name, file_bytes, imported_at, imported_by,
             records_read, records_added, warnings, first_effective, last_effective, subject_confirmed)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          importId,
          target.patientId,
          target.format,
          meta.fileName,
          meta.fileBytes,
          meta.importedAt,
          meta.importedBy,
          read,
          added,
          meta.warnings,
          range.first,
          range.last,
          meta.subjectConfirmed ? 1 : 0,
        );
        // Row ids are time-ordered (UUIDv7 shape) from the import's id and the staging rowid, so one
        // import's rows land together at the right edge of the primary key.
        const stored = db
          .prepare(
            `INSERT INTO main.home_observations (id, patient_id, import_id, format, source_record_id, measure,
               value, diastolic, unit, effective_start, effective_end, beyond_range, source_name, device)
             SELECT @importId || '-' || printf('%08x', s.rowid), @patientId, @importId, @format,
               s.source_record_id, s.measure, s.value, s.diastolic, s.unit, s.effective_start, s.effective_end,
               s.beyond_range, s.source_name, s.device
             FROM ${table} s WHERE ${notStored} ORDER BY s.rowid`,
          )
          .run({ ...params, importId }).changes;
        return stored;
      });
      const added = run();
      return { importId, added };
    },
    drop() {
      if (dropped) return;
      dropped = true;
      db.exec(`DROP TABLE IF EXISTS ${table}`);
    },
  };
}

interface HomeRow extends SampleDbRow {
  id: string;
  format: HomeImportFormat;
}

interface ImportRow {
  id: string;
  format: HomeImportFormat;
  file_name: string;
  imported_at: string;
  imported_by: string;
  records_read: number;
  records_added: number;
  first_effective: string | null;
  last_effective: string | null;
  subject_confirmed: number;
}

export type HomeObservationRepository = ReturnType<typeof homeObservationRepository>;

export function homeObservationRepository(db: Database) {
  const byRange = db.prepare(
    `SELECT id, format, measure, effective_start, effective_end, value, diastolic, beyond_range, source_name, device
     FROM home_observations
     WHERE patient_id = @patientId AND effective_start >= @from AND effective_start < @to
     ORDER BY effective_start, id LIMIT @limit`,
  );
  const sources = db.prepare(
    `SELECT source_name, device, count(*) AS count FROM home_observations WHERE patient_id = ?
     GROUP BY source_name, device ORDER BY count DESC LIMIT 50`,
  );
  const imports = db.prepare(
    `SELECT id, format, file_name, imported_at, imported_by, records_read, records_added, first_effective,
       last_effective, subject_confirmed
     FROM home_imports WHERE patient_id = ? ORDER BY imported_at DESC, rowid DESC LIMIT 100`,
  );
  const count = db.prepare('SELECT count(*) FROM home_observations WHERE patient_id = ?').pluck();
  return {
    /** The patient's home values taken in [from, to), oldest first, at most `limit`. */
    list(patientId: string, range: { from: string; to: string; limit: number }): HomeObservation[] {
      return (byRange.all({ patientId, ...range }) as HomeRow[]).map((row) => ({
        ...toSample(row),
        id: row.id,
        format: row.format,
      }));
    },
    sources(patientId: string): HomeSource[] {
      return (
        sources.all(patientId) as { source_name: string | null; device: string | null; count: number }[]
      ).map((s) => ({ sourceName: s.source_name, device: s.device, count: s.count }));
    },
    imports(patientId: string): HomeImportRecord[] {
      return (imports.all(patientId) as ImportRow[]).map((r) => ({
        id: r.id,
        format: r.format,
        fileName: r.file_name,
        importedAt: r.imported_at,
        importedBy: r.imported_by,
        recordsRead: r.records_read,
        recordsAdded: r.records_added,
        firstEffective: r.first_effective,
        lastEffective: r.last_effective,
        subjectConfirmed: r.subject_confirmed === 1,
      }));
    },
    count(patientId: string): number {
      return count.get(patientId) as number;
    },
  };
}
