/**
 * A large home-data file is staged in bounded batches in an encrypted staging file, not in memory, and
 * the patient database changes only in the one storing transaction: a process killed while reading or
 * in the middle of that transaction leaves the database exactly as it was, and it opens and imports again.
 */
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../main/db/connection';
import { openDatabase } from '../../../main/db/connection';
import { removeOrphanStages } from '../../../main/db/repositories/home-observations';
import { readAppleHealth } from '../../../main/import/formats/apple-health/reader';
import type { HomeImportEvent, HomeImportInput } from '../../../main/import/formats/events';

/** A small batch, so these files span several (the default is sized for exports of several GB). */
const BATCH = 1000;
import { HomeImportCancelled, importHomeFile } from '../../../main/import/service';
import { writeAppleHealthXml } from '../../sim/home-data/apple-health';
import { writeDexcomClarityCsv } from '../../sim/home-data/cgm';
import { openFixture, JANE } from '../db/fixtures';
import { tempDir } from '../db/helpers';
import { killWriter } from '../db/kill-writer';
import { clarityWindow } from './helpers';

const NURSE = 'nurse-user-1';
const WRITER = path.join(path.dirname(new URL(import.meta.url).pathname), 'import-writer.ts');

/** Everything an import may change, row by row. */
function snapshot(db: Database): string {
  return JSON.stringify([
    db.prepare('SELECT * FROM home_imports ORDER BY id').all(),
    db.prepare('SELECT * FROM home_observations ORDER BY id').all(),
  ]);
}

function stagingFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('.home-import-'));
}

function stagedRows(db: Database): number | null {
  const schema = (db.pragma('database_list') as { name: string }[]).find((d) =>
    d.name.startsWith('home_stage_'),
  );
  if (!schema) return null;
  // Single values and day or night totals.
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM ${schema.name}.rows) + (SELECT count(*) FROM ${schema.name}.totals)`,
    )
    .pluck()
    .get() as number;
}

describe('home-data import of a large file', () => {
  it('stages a 50,000-record Apple Health export in batches, never holding more than one batch in memory', async () => {
    const f = openFixture();
    const jane = f.patients.registerPatient({ ...JANE, birthDate: '1961-04-12', sex: 'female' });
    const dir = tempDir('vd-home-');
    const xml = path.join(dir, 'export.xml');
    const generated = await writeAppleHealthXml(xml, { records: 50_000, seed: 7 });
    expect(generated.records).toBeGreaterThanOrEqual(50_000);

    let yielded = 0;
    let largestUnsaved = 0;
    let stagedWhileReading = 0;
    // The real reader, watched: whenever it hands over a record, everything before it but the current
    // batch is already in the staging file.
    async function* watched(input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
      for await (const event of readAppleHealth(input)) {
        if (event.type === 'record') {
          const staged = stagedRows(f.db) ?? 0;
          stagedWhileReading = Math.max(stagedWhileReading, staged);
          largestUnsaved = Math.max(largestUnsaved, yielded - staged);
          yielded++;
        }
        yield event;
      }
    }
    const result = await importHomeFile({
      db: f.db,
      patientId: jane.id,
      path: xml,
      importedBy: NURSE,
      reader: watched,
      batchRecords: BATCH,
    });
    expect(yielded).toBeGreaterThan(3 * BATCH);
    expect(largestUnsaved).toBeLessThanOrEqual(BATCH);
    expect(stagedWhileReading).toBeGreaterThanOrEqual(yielded - BATCH);
    expect(result.added).toBe(yielded - result.duplicatesInFile);
    expect(f.db.prepare('SELECT count(*) FROM home_observations').pluck().get()).toBe(result.added);
    // The staging file is gone once the import is stored, and nothing is attached any more.
    expect(stagingFiles(path.dirname(f.file))).toEqual([]);
    expect(stagedRows(f.db)).toBeNull();

    // Re-importing the same export adds nothing.
    const again = await importHomeFile({ db: f.db, patientId: jane.id, path: xml, importedBy: NURSE });
    expect(again.added).toBe(0);
    expect(again.alreadyImported).toBe(result.added);
  });

  it('stops reading a large export at a cancel: the database is as it was and no staging file is left', async () => {
    const f = openFixture();
    const jane = f.patients.registerPatient({ ...JANE, birthDate: '1961-04-12', sex: 'female' });
    const dir = tempDir('vd-home-');
    const xml = path.join(dir, 'export.xml');
    await writeAppleHealthXml(xml, { records: 30_000, seed: 11 });
    const before = snapshot(f.db);
    const controller = new AbortController();
    // The nurse's Cancel arrives while the reader is mid-file, after a fixed number of records, so the
    // moment does not depend on how fast this machine reads (progress is reported at most every 100 ms).
    const CANCEL_AFTER = 2 * BATCH;
    let yielded = 0;
    let yieldedAfterCancel = 0;
    let readerClosed = false;
    async function* cancelledMidway(input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
      try {
        for await (const event of readAppleHealth(input)) {
          if (event.type === 'record') {
            if (controller.signal.aborted) yieldedAfterCancel++;
            if (++yielded === CANCEL_AFTER) controller.abort();
          }
          yield event;
        }
      } finally {
        readerClosed = true;
      }
    }
    const importing = importHomeFile({
      db: f.db,
      patientId: jane.id,
      path: xml,
      importedBy: NURSE,
      signal: controller.signal,
      reader: cancelledMidway,
      batchRecords: BATCH,
    });
    await expect(importing).rejects.toBeInstanceOf(HomeImportCancelled);
    // Reading stopped at the Cancel: not one more record was asked for, and the file was closed.
    expect(yielded).toBe(CANCEL_AFTER);
    expect(yieldedAfterCancel).toBe(0);
    expect(readerClosed).toBe(true);
    expect(snapshot(f.db)).toBe(before);
    expect(stagingFiles(path.dirname(f.file))).toEqual([]);

    // The same file imports in full afterwards.
    const result = await importHomeFile({ db: f.db, patientId: jane.id, path: xml, importedBy: NURSE });
    expect(result.added).toBeGreaterThan(2 * CANCEL_AFTER);
  }, 60_000);

  it('stores a reading the file holds twice once, and counts the copy as a duplicate', async () => {
    const f = openFixture();
    const jane = f.patients.registerPatient(JANE);
    const dir = tempDir('vd-home-');
    const csv = clarityWindow(dir, 'clarity.csv', 0, 3 * BATCH);
    const lines = readFileSync(csv, 'utf8').split('\r\n');
    const egv = lines.filter((l) => l.split(',')[2] === 'EGV');
    // The first reading again at the end, in a later batch than the first copy.
    writeFileSync(csv, [...lines.slice(0, -1), egv[0], ''].join('\r\n'));
    const result = await importHomeFile({
      db: f.db,
      patientId: jane.id,
      path: csv,
      importedBy: NURSE,
      batchRecords: BATCH,
    });
    expect(result).toMatchObject({ recordsRead: 3 * BATCH + 1, added: 3 * BATCH, duplicatesInFile: 1 });
    expect(f.db.prepare('SELECT count(*) FROM home_observations').pluck().get()).toBe(3 * BATCH);
  });

  it('keeps the staging file encrypted while reading, and deletes it on cancel', async () => {
    const f = openFixture();
    const jane = f.patients.registerPatient(JANE);
    const dir = tempDir('vd-home-');
    const csv = clarityWindow(dir, 'clarity.csv', 0, 3 * BATCH);
    const controller = new AbortController();
    let seenFile: Buffer | undefined;
    let records = 0;
    async function* cancelling(input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
      const { readDexcomClarity } = await import('../../../main/import/formats/dexcom-clarity');
      for await (const event of readDexcomClarity(input)) {
        if (event.type === 'record' && ++records === 2 * BATCH + 10) {
          const [name] = stagingFiles(path.dirname(f.file));
          seenFile = readFileSync(path.join(path.dirname(f.file), name ?? 'missing'));
          controller.abort();
        }
        yield event;
      }
    }
    const before = snapshot(f.db);
    await expect(
      importHomeFile({
        db: f.db,
        patientId: jane.id,
        path: csv,
        importedBy: NURSE,
        reader: cancelling,
        batchRecords: BATCH,
        // A file this small is staged in memory by default; here the staging file is what is tested.
        stageInMemory: false,
        signal: controller.signal,
      }),
    ).rejects.toBeInstanceOf(HomeImportCancelled);
    // Two batches were on disk, and not one readable word of them.
    expect(seenFile!.length).toBeGreaterThan(8192);
    expect(seenFile!.subarray(0, 16).toString('latin1')).not.toMatch(/^SQLite format 3/);
    expect(seenFile!.includes('Dexcom')).toBe(false);
    expect(seenFile!.includes('dexcom-clarity')).toBe(false);
    expect(stagingFiles(path.dirname(f.file))).toEqual([]);
    expect(snapshot(f.db)).toBe(before);
  });

  for (const moment of ['while reading', 'inside the storing transaction'] as const) {
    it(`leaves the database as it was when the process is killed ${moment}, and it opens and imports again`, async () => {
      const f = openFixture();
      const jane = f.patients.registerPatient(JANE);
      const dir = tempDir('vd-home-');
      // An earlier import, so "as it was" is not simply empty.
      const earlier = clarityWindow(dir, 'earlier.csv', 0, 288);
      await importHomeFile({ db: f.db, patientId: jane.id, path: earlier, importedBy: NURSE });
      const csv = path.join(dir, 'clarity-large.csv');
      await writeDexcomClarityCsv(csv, { readings: 60_000, seed: 3 });
      const before = snapshot(f.db);
      f.db.close();

      // The writer holds at the moment itself (after 30,000 of the 60,000 records, a batch of 20,000
      // staged; or with every row written and not committed), so the kill lands there on any machine.
      const holdAt = moment === 'while reading' ? 'reading' : 'storing';
      const lines = await killWriter(
        WRITER,
        [f.file, f.key.toString('hex'), jane.id, csv],
        { HOLD_AT: holdAt, HOLD_AFTER_RECORDS: '30000' },
        0,
        (out) => out.includes('\nheld '),
      );
      expect(lines.some((l) => l.startsWith('done'))).toBe(false);
      if (moment === 'inside the storing transaction') {
        expect(lines).toContain('saving');
        expect(lines.at(-1)).toBe('held storing');
      } else {
        expect(lines).not.toContain('saving');
        expect(lines.at(-1)).toBe('held reading 30000');
      }

      // The killed import left its staging file; the database opens (quick check) unchanged.
      expect(stagingFiles(path.dirname(f.file)).length).toBeGreaterThan(0);
      const db = openDatabase({ file: f.file, key: f.key });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(snapshot(db)).toBe(before);

      // An import after it stores the whole file; an old leftover is deleted, a fresh one is not.
      const result = await importHomeFile({ db, patientId: jane.id, path: csv, importedBy: NURSE });
      expect(result.added + result.alreadyImported).toBe(60_000);
      expect(result.added).toBeGreaterThan(59_000);
      const [leftover] = stagingFiles(path.dirname(f.file));
      const old = new Date(Date.now() - 3 * 60 * 60_000);
      expect(removeOrphanStages(path.dirname(f.file))).toBe(0);
      utimesSync(path.join(path.dirname(f.file), leftover!), old, old);
      expect(removeOrphanStages(path.dirname(f.file))).toBe(1);
      expect(existsSync(path.join(path.dirname(f.file), leftover!))).toBe(false);
      db.close();
    }, 60_000);
  }

  it('keeps the whole import when the process is killed after it answered, before its checkpoint', async () => {
    const f = openFixture();
    const jane = f.patients.registerPatient(JANE);
    const csv = path.join(tempDir('vd-home-'), 'clarity.csv');
    await writeDexcomClarityCsv(csv, { readings: 20_000, seed: 5 });
    f.db.close();
    const lines = await killWriter(
      WRITER,
      [f.file, f.key.toString('hex'), jane.id, csv],
      { HOLD_AT: 'done' },
      0,
      (out) => out.includes('\nheld done\n'),
    );
    expect(lines.slice(-2)).toEqual(['done 20000', 'held done']);
    // The import's pages were still only in the write-ahead log: its commit did not copy them over.
    expect(statSync(f.file).size).toBeLessThan(statSync(`${f.file}-wal`).size / 2);
    // Durable in the log since the commit returned: the next open finds all of it.
    const db = openDatabase({ file: f.file, key: f.key });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM home_observations').pluck().get()).toBe(20_000);
    expect(db.prepare('SELECT records_added FROM home_imports').pluck().get()).toBe(20_000);
    db.close();
  }, 60_000);
});
