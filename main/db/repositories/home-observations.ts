/**
 * Patient-generated (home) observations: staging an import, storing it in one transaction, and reading
 * it back for review. Kept apart from `observations` (migration 050), so clinic rules never see it.
 *
 * An import is read into a staging file first: a scratch database beside the patient database, attached
 * to the importing connection and so encrypted with the same key (nothing of the file reaches disk
 * unencrypted), written in small batches so memory stays bounded however large the file. The patient
 * database itself changes only in commit(), one transaction that adds the import record and every record
 * not stored before. A cancel, a failure or the process being killed at any moment leaves the patient
 * database as it was: before commit() it was never written; inside it, SQLite rolls the transaction back.
 * A staging file left behind by a killed import is deleted by the next import.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { HOME_MEASURE_UNITS, type HomeImportFormat, type HomeRecord } from '../../../shared/home-data/record';
import type {
  HomeImportRecord,
  HomeObservation,
  HomeSampleRow,
  HomeSource,
} from '../../../shared/home-data/import-summary';
import type { HomeMeasure } from '../../../shared/home-data/record';
import type { Database } from '../connection';
import { identityHash } from '../home-identity';
import { StagedIdentityIndex } from '../staged-identity-index';
import { StageTally, type TalliedRow } from './home-stage-tally';
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
  /** Day and night totals left as stored because a newer export already gave them. */
  olderTotals: number;
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
  /** Adds records read from the file (one short transaction on the staging file per call). */
  add(records: readonly HomeRecord[]): void;
  /**
   * Adds records a second thread read from a later part of the file at the same time: they count after
   * every record add() takes, whatever the order the calls come in.
   */
  addLater(records: readonly HomeRecord[]): void;
  /** The later part is read again in order: forgets what addLater took; returns how many records it had. */
  dropLater(): number;
  /** When the file's export was made, if it says: a total is not revised by an older export. */
  exportedAt(at: string): void;
  summary(samplesPerMeasure?: number): StageSummary;
  /** The one transaction that changes the database. Returns the new import's id and how many records it added. */
  commit(meta: ImportMeta): { importId: string; added: number };
  /** Detaches and deletes the staging file; safe to call twice. */
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

/** The first staging sequence of a later part of the file: past any count of records a file can hold. */
const LATER_PART_SEQ = 0x80000000;

/** Staged rows stored per statement of the storing transaction (a few MB of scratch memory each). */
const STORE_SLICE_ROWS = 20_000;

/** Pages of the staging file kept decrypted in memory, in KiB. */
const STAGE_CACHE_KIB = 8 * 1024;

const STAGE_PREFIX = '.home-import-';
const STAGE_SUFFIX = '.stage';
/** Older than any live import can be (an unused preview is dropped after 30 minutes). */
const ORPHAN_AFTER_MS = 2 * 60 * 60_000;

/** Where an import's staging file goes: beside the database (null: an in-memory database stages in memory). */
function stageDirectory(db: Database): string | null {
  return db.memory ? null : path.dirname(path.resolve(db.name));
}

/** A staging file's name is made of this many random bytes, in hex. */
const STAGE_TOKEN = /^[0-9a-f]{16}$/;

/** A new name for an import's staging file (see stagingFile). */
export function newStageToken(): string {
  return randomBytes(8).toString('hex');
}

/** The staging file an import names with `token`, beside the database file. */
export function stagingFile(databaseFile: string, token: string): string {
  if (!STAGE_TOKEN.test(token)) throw new Error('A staging file is named by 16 hex digits.');
  return path.join(path.dirname(path.resolve(databaseFile)), `${STAGE_PREFIX}${token}${STAGE_SUFFIX}`);
}

/**
 * Deletes the staging file of an import whose thread ended, with its journal: a thread that ran out of
 * memory ends without its own clean-up. Nothing happens when the import removed it itself.
 */
export function removeStagingFile(databaseFile: string, token: string): void {
  const file = stagingFile(databaseFile, token);
  for (const suffix of ['', '-journal']) rmSync(file + suffix, { force: true });
}

/** Deletes staging files (and their journals) that a killed import left behind. */
export function removeOrphanStages(dir: string, now = Date.now()): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(STAGE_PREFIX) || !name.includes(STAGE_SUFFIX)) continue;
    const file = path.join(dir, name);
    try {
      if (now - statSync(file).mtimeMs < ORPHAN_AFTER_MS) continue;
      rmSync(file, { force: true });
      removed++;
    } catch {
      // Another import removed it first.
    }
  }
  return removed;
}

interface StagedTotal {
  seq: number;
  h: number;
  source_record_id: string;
  measure: HomeMeasure;
  value: number;
  diastolic: number | null;
  unit: string;
  effective_start: string;
  effective_end: string | null;
  beyond_range: string | null;
  source_name: string | null;
  device: string | null;
  series: string;
}

interface StoredTotal {
  id: string | null;
  exported_at: string | null;
  value: number;
  diastolic: number | null;
  effective_start: string;
  effective_end: string | null;
  source_name: string | null;
}

function sameTotal(
  a: Omit<StoredTotal, 'id' | 'exported_at'>,
  b: Omit<StoredTotal, 'id' | 'exported_at'>,
): boolean {
  return (
    a.value === b.value &&
    a.diastolic === b.diastolic &&
    a.effective_start === b.effective_start &&
    a.effective_end === b.effective_end &&
    a.source_name === b.source_name
  );
}

export interface StageOptions {
  /**
   * Stage in memory instead of a file: for a small file, whose staged rows stay a few tens of MB, it
   * spares writing and encrypting pages that are read back once.
   */
  inMemory?: boolean;
  /** Names the staging file (see stagingFile), so that the thread that started the import can remove it. */
  token?: string;
}

export function createHomeImportStage(
  db: Database,
  target: { patientId: string; format: HomeImportFormat },
  options: StageOptions = {},
): HomeImportStage {
  // Sorts and temporary indexes stay in memory: a temp file would not be under the database key.
  db.pragma('temp_store = MEMORY');
  const dir = options.inMemory ? null : stageDirectory(db);
  const schema = `home_stage_${randomBytes(6).toString('hex')}`;
  let file: string | null = null;
  if (dir) {
    removeOrphanStages(dir);
    file = stagingFile(db.name, options.token ?? newStageToken());
    // Attached without a key of its own: SQLite3 Multiple Ciphers encrypts it with the main key.
    db.prepare(`ATTACH DATABASE ? AS ${schema}`).run(file);
  } else {
    db.prepare(`ATTACH DATABASE ':memory:' AS ${schema}`).run();
  }
  // Scratch data: no fsync, and a crash discards the file anyway.
  db.pragma(`${schema}.synchronous = OFF`);
  db.pragma(`${schema}.journal_mode = MEMORY`);
  // Rows are only appended (duplicates are found in memory, see StagedIdentityIndex) and read back once,
  // in order, when stored: a small cache is enough.
  db.pragma(`${schema}.cache_size = ${-STAGE_CACHE_KIB}`);
  // Single values in `rows`; day and night totals, a few per day at most, apart in `totals`, so working
  // out which of them revise stored ones reads only them. One sequence numbers both (it makes the ids).
  const table = `${schema}.rows`;
  const totalsTable = `${schema}.totals`;
  // No constraints beyond the identity: the real table's checks are the guard, at commit.
  for (const name of ['rows', 'totals']) {
    db.exec(`CREATE TABLE ${schema}.${name} (
      seq INTEGER PRIMARY KEY,
      h INTEGER NOT NULL,
      source_record_id TEXT NOT NULL,
      measure TEXT, value REAL, diastolic REAL, unit TEXT,
      effective_start TEXT, effective_end TEXT, beyond_range TEXT, source_name TEXT, device TEXT, series TEXT
    )`);
  }
  // Duplicates in the file are found through a 53-bit hash of the identity, held in memory (no index on
  // the staging file to insert every row into); equal hashes are then compared in full, by sequence.
  const identityAt = db
    .prepare(
      `SELECT source_record_id FROM ${table} WHERE seq = @seq
       UNION ALL SELECT source_record_id FROM ${totalsTable} WHERE seq = @seq`,
    )
    .pluck();
  let dropped = false;
  const insertInto = (into: string) =>
    db.prepare(
      `INSERT INTO ${into} (seq, h, source_record_id, measure, value, diastolic, unit, effective_start,
         effective_end, beyond_range, source_name, device, series)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  const insertSingle = insertInto(table);
  const insertTotal = insertInto(totalsTable);
  /**
   * The file's records in file order: the first part's from 1, a later part's (read by another thread
   * at the same time, see addLater) from LATER_PART_SEQ, so the sequence, and the ids made from it, keep
   * file order. Each part finds its own duplicates; settle() finds those of the later part in the first.
   */
  const newPart = (base: number) => ({
    base,
    seq: base,
    identities: new StagedIdentityIndex(),
    tally: new StageTally(),
  });
  const own = newPart(0);
  let later = newPart(LATER_PART_SEQ);
  let settled = false;
  const addTo = (part: typeof own) =>
    db.transaction((records: readonly HomeRecord[]) => {
      part.tally.read += records.length;
      for (const r of records) {
        const h = identityHash(r.sourceRecordId);
        const before = part.identities.find(h);
        if (before.length > 0 && before.some((at) => identityAt.get({ seq: at }) === r.sourceRecordId))
          continue;
        const seq = ++part.seq;
        part.identities.add(h, seq);
        (r.series === undefined ? insertSingle : insertTotal).run(
          seq,
          h,
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
          r.series ?? null,
        );
        part.tally.counted(r, seq);
      }
    });
  const addOwn = addTo(own);
  let addLater = addTo(later);
  // A later row, with what its count in the preview needs: read once when it turns out to be a duplicate.
  const laterRow = db.prepare(
    `SELECT seq, source_record_id AS id, measure, source_name AS sourceName, device, series
       FROM ${table} WHERE seq = @seq
     UNION ALL SELECT seq, source_record_id, measure, source_name, device, series FROM ${totalsTable}
       WHERE seq = @seq`,
  );
  /** Deletes from both staging tables the rows a sequence condition picks. */
  const deleteWhere = (condition: string): ((seq: number) => void) => {
    const statements = [table, totalsTable].map((from) =>
      db.prepare(`DELETE FROM ${from} WHERE ${condition}`),
    );
    return (seq) => {
      for (const statement of statements) statement.run(seq);
    };
  };
  const removeRow = deleteWhere('seq = ?');
  const removeFrom = deleteWhere('seq > ?');
  /**
   * Joins the later part to the first once both are read: a later row whose identity the first part
   * already holds is a duplicate in the file, removed; the rest is counted after the first part's.
   */
  const settle = (): void => {
    if (settled) return;
    settled = true;
    if (later.seq === later.base) return;
    db.transaction(() => {
      for (const [h, seq] of later.identities.entries()) {
        const earlier = own.identities.find(h);
        if (earlier.length === 0) continue;
        const row = laterRow.get({ seq }) as TalliedRow & { id: string };
        if (!earlier.some((at) => identityAt.get({ seq: at }) === row.id)) continue;
        later.tally.forget(row);
        removeRow(seq);
      }
    })();
    own.tally.merge(later.tally);
  };
  const tally = (): StageTally => {
    settle();
    return own.tally;
  };
  // Stored identities are found through their hash (migration 056), then compared in full.
  const notStored = `NOT EXISTS (SELECT 1 FROM main.home_observations h WHERE h.identity = s.h
      AND h.patient_id = @patientId AND h.format = @format AND h.source_record_id = s.source_record_id)`;
  const params = { patientId: target.patientId, format: target.format };
  const anyStored = db
    .prepare(
      'SELECT 1 FROM main.home_observations WHERE patient_id = @patientId AND format = @format LIMIT 1',
    )
    .pluck();
  // A patient's first import of this kind has nothing to look up: every row is new.
  const newSingles = (): number =>
    anyStored.get(params) === undefined
      ? tally().singles
      : (db.prepare(`SELECT count(*) FROM ${table} s WHERE ${notStored}`).pluck().get(params) as number);

  let exportedAt: string | null = null;
  /**
   * The totals of this file that change what is stored: a series not stored yet, or one whose newest
   * stored version has another figure (a fuller export). Each names the version it supersedes. A stored
   * version from an export made after this file's stays: an older export imported late does not turn
   * back the newer figures. `older` counts those.
   */
  const revisions = (): { totals: (StagedTotal & { versionOf: string | null })[]; older: number } => {
    const staged = db
      .prepare(
        `SELECT seq, h, source_record_id, measure, value, diastolic, unit, effective_start, effective_end,
           beyond_range, source_name, device, series
         FROM ${totalsTable} s WHERE ${notStored} ORDER BY s.seq`,
      )
      .all(params) as StagedTotal[];
    const newest = db.prepare(
      `SELECT h.id, h.value, h.diastolic, h.effective_start, h.effective_end, h.source_name, i.exported_at
       FROM main.home_observations h JOIN main.home_imports i ON i.id = h.import_id
       WHERE h.patient_id = @patientId AND h.format = @format AND h.series = @series
       ORDER BY h.rowid DESC LIMIT 1`,
    );
    let older = 0;
    const planned = new Map<string, StagedTotal & { versionOf: string | null }>();
    const out: (StagedTotal & { versionOf: string | null })[] = [];
    for (const row of staged) {
      const before = planned.get(row.series);
      const current = before
        ? { ...before, id: null, exported_at: exportedAt }
        : (newest.get({ ...params, series: row.series }) as StoredTotal | undefined);
      if (current && sameTotal(current, row)) continue;
      if (current?.exported_at && exportedAt && current.exported_at > exportedAt) {
        older++;
        continue;
      }
      const revision = { ...row, versionOf: current?.id ?? before?.versionOf ?? null };
      // Two figures for one series in one file: the later one is the one stored.
      if (before) out.splice(out.indexOf(before), 1);
      planned.set(row.series, revision);
      out.push(revision);
    }
    return { totals: out, older };
  };

  return {
    add(records) {
      if (records.length > 0) addOwn(records);
    },
    addLater(records) {
      if (records.length > 0) addLater(records);
    },
    dropLater() {
      const read = later.tally.read;
      removeFrom(LATER_PART_SEQ);
      later = newPart(LATER_PART_SEQ);
      addLater = addTo(later);
      return read;
    },
    exportedAt(at) {
      exportedAt = at;
    },
    summary(samplesPerMeasure = 2) {
      const { read, distinct, first, last, perMeasure, perSource, firstRows } = tally();
      const revised = revisions();
      const newRecords = newSingles() + revised.totals.length;
      const counts = [...perMeasure]
        .filter(([, count]) => count > 0)
        .map(([measure, count]) => ({ measure, count }))
        .sort((a, b) => b.count - a.count || (a.measure < b.measure ? -1 : 1));
      const sources = [...perSource.values()]
        .filter((source) => source.count > 0)
        .sort((a, b) => b.count - a.count)
        .slice(0, 50);
      const samples = [...firstRows.keys()].sort().flatMap((measure) =>
        (firstRows.get(measure) ?? [])
          .slice(0, samplesPerMeasure)
          .map((shown) => shown.row)
          .sort((a, b) => (a.effectiveStart < b.effectiveStart ? -1 : 1)),
      );
      return {
        recordsRead: read,
        distinct,
        duplicatesInFile: read - distinct,
        newRecords,
        alreadyImported: distinct - newRecords,
        firstEffective: first,
        lastEffective: last,
        counts,
        sources,
        samples,
        olderTotals: revised.older,
      };
    },
    commit(meta) {
      const importId = newId();
      const { read, first, last } = tally();
      const run = db.transaction(() => {
        const { totals } = revisions();
        const fresh = anyStored.get(params) === undefined;
        const singlesToAdd = newSingles();
        const added = singlesToAdd + totals.length;
        // The import's record goes first, with the count about to be added: each row then finds its
        // import at once. Written last, every row would leave a deferred foreign key open, and closing
        // them makes SQLite look for the import's rows through the whole table (no index on import_id).
        db.prepare(
          `INSERT INTO home_imports (id, patient_id, format, file_name, file_bytes, imported_at, imported_by,
             records_read, records_added, warnings, first_effective, last_effective, subject_confirmed, exported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
          first,
          last,
          meta.subjectConfirmed ? 1 : 0,
          exportedAt,
        );
        // Row ids are time-ordered (UUIDv7 shape) from the import's id and the staging sequence, so one
        // import's rows land together at the right edge of the primary key. A table with row triggers
        // takes an INSERT … SELECT by first copying the whole SELECT into a scratch table in memory
        // (hundreds of MB for a large export), so the rows go over in slices of the staging sequence.
        const storeSlice = db.prepare(
          `INSERT INTO main.home_observations (id, patient_id, import_id, format, source_record_id, measure,
             value, diastolic, unit, effective_start, effective_end, beyond_range, source_name, device, identity)
           SELECT @importId || '-' || printf('%08x', s.seq), @patientId, @importId, @format,
             s.source_record_id, s.measure, s.value, s.diastolic, s.unit, s.effective_start, s.effective_end,
             s.beyond_range, s.source_name, s.device, s.h
           FROM ${table} s WHERE s.seq > @after AND s.seq <= @upTo ${fresh ? '' : `AND ${notStored}`}
           ORDER BY s.seq`,
        );
        let stored = 0;
        for (const part of [own, later]) {
          for (let after = part.base; after < part.seq; after += STORE_SLICE_ROWS) {
            stored += storeSlice.run({ ...params, importId, after, upTo: after + STORE_SLICE_ROWS }).changes;
          }
        }
        // The import's record must say what was stored: a difference rolls the whole import back.
        if (stored !== singlesToAdd)
          throw new Error('The import stored another number of values than it counted.');
        const addTotal = db.prepare(
          `INSERT INTO main.home_observations (id, patient_id, import_id, format, source_record_id, measure,
             value, diastolic, unit, effective_start, effective_end, beyond_range, source_name, device, series,
             version_of, identity)
           VALUES (@importId || '-' || printf('%08x', @seq), @patientId, @importId, @format, @source_record_id,
             @measure, @value, @diastolic, @unit, @effective_start, @effective_end, @beyond_range, @source_name,
             @device, @series, @versionOf, @h)`,
        );
        for (const total of totals) addTotal.run({ ...params, importId, ...total });
        return added;
      });
      const added = run();
      return { importId, added };
    },
    drop() {
      if (dropped) return;
      dropped = true;
      try {
        db.exec(`DETACH DATABASE ${schema}`);
      } finally {
        if (file) {
          rmSync(file, { force: true });
          rmSync(`${file}-journal`, { force: true });
        }
      }
    },
  };
}

/**
 * Runs an import's transaction without SQLite's automatic checkpoint at its commit. The commit is durable
 * once its pages are in the write-ahead log; copying them into the database file (each page decrypted
 * and encrypted again) is left to checkpointAfterImport, which the import worker runs once the nurse
 * has her answer.
 */
export function withoutAutoCheckpoint<T>(db: Database, store: () => T): T {
  const every = Number(db.pragma('wal_autocheckpoint', { simple: true }));
  db.pragma('wal_autocheckpoint = 0');
  try {
    return store();
  } finally {
    db.pragma(`wal_autocheckpoint = ${every}`);
  }
}

/**
 * Copies an import's pages from the write-ahead log into the database file, without waiting for readers
 * or writers (PASSIVE): otherwise the next connection to commit, perhaps the app's main thread saving a
 * vital sign, would do it. Returns the pages copied.
 */
export function checkpointAfterImport(db: Database): number {
  if (db.memory) return 0;
  const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { checkpointed: number }[];
  return Math.max(0, result?.checkpointed ?? 0);
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

/** A row no later version supersedes: the figure review, trends and sync use. */
export const CURRENT_HOME_VERSION = (alias: string): string =>
  `NOT EXISTS (SELECT 1 FROM home_observations later WHERE later.version_of = ${alias}.id)`;

export function homeObservationRepository(db: Database) {
  const byRange = db.prepare(
    `SELECT id, format, measure, effective_start, effective_end, value, diastolic, beyond_range, source_name, device
     FROM home_observations h
     WHERE patient_id = @patientId AND effective_start >= @from AND effective_start < @to
       AND ${CURRENT_HOME_VERSION('h')}
     ORDER BY effective_start, id LIMIT @limit`,
  );
  const sources = db.prepare(
    `SELECT source_name, device, count(*) AS count FROM home_observations h
     WHERE patient_id = ? AND ${CURRENT_HOME_VERSION('h')}
     GROUP BY source_name, device ORDER BY count DESC LIMIT 50`,
  );
  const imports = db.prepare(
    `SELECT id, format, file_name, imported_at, imported_by, records_read, records_added, first_effective,
       last_effective, subject_confirmed
     FROM home_imports WHERE patient_id = ? ORDER BY imported_at DESC, rowid DESC LIMIT 100`,
  );
  const count = db
    .prepare(`SELECT count(*) FROM home_observations h WHERE patient_id = ? AND ${CURRENT_HOME_VERSION('h')}`)
    .pluck();
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
