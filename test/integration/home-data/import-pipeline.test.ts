/**
 * The import pipeline on a real encrypted database with the real Dexcom Clarity reader: what a preview
 * shows, that a re-import or an overlapping later export adds nothing twice, and that cancel, a refused
 * record, a foreign export, an oversized file or a file of the wrong kind leave the database as it was.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../main/db/connection';
import { readDexcomClarity } from '../../../main/import/formats/dexcom-clarity';
import type { HomeImportEvent, HomeImportInput } from '../../../main/import/formats/events';
import { HomeImportCancelled, importHomeFile, previewHomeFile } from '../../../main/import/service';
import { openFixture, JANE } from '../db/fixtures';
import { tempDir } from '../db/helpers';
import { clarityWindow } from './helpers';

const NURSE = 'nurse-user-1';

function counts(db: Database): { observations: number; imports: number } {
  return {
    observations: db.prepare('SELECT count(*) FROM home_observations').pluck().get() as number,
    imports: db.prepare('SELECT count(*) FROM home_imports').pluck().get() as number,
  };
}

function setup() {
  const f = openFixture();
  const jane = f.patients.registerPatient(JANE);
  return { ...f, jane, dir: tempDir('vd-home-') };
}

describe('home-data import pipeline', () => {
  it('previews a CGM export, imports it, and adds nothing on a re-import', async () => {
    const s = setup();
    const file = clarityWindow(s.dir, 'clarity.csv', 0, 288);
    const preview = await previewHomeFile({ db: s.db, patientId: s.jane.id, path: file });
    expect(preview).toMatchObject({
      format: 'dexcom-clarity',
      fileName: 'clarity.csv',
      recordsRead: 288,
      newRecords: 288,
      alreadyImported: 0,
      blocked: false,
      counts: [{ measure: 'glucose', count: 288 }],
    });
    expect(preview.samples.length).toBeGreaterThan(0);
    expect(preview.samples[0]).toMatchObject({
      measure: 'glucose',
      unit: 'mg/dL',
      sourceName: expect.any(String),
    });
    expect(preview.sources[0]?.count).toBe(288);
    expect(preview.firstEffective! < preview.lastEffective!).toBe(true);
    // A preview stores nothing.
    expect(counts(s.db)).toEqual({ observations: 0, imports: 0 });

    const first = await importHomeFile({ db: s.db, patientId: s.jane.id, path: file, importedBy: NURSE });
    expect(first).toMatchObject({ recordsRead: 288, added: 288, alreadyImported: 0 });
    expect(counts(s.db)).toEqual({ observations: 288, imports: 1 });

    const again = await importHomeFile({ db: s.db, patientId: s.jane.id, path: file, importedBy: NURSE });
    expect(again).toMatchObject({ recordsRead: 288, added: 0, alreadyImported: 288 });
    // The second import is on record (who, when, which file), with nothing new in it.
    expect(counts(s.db)).toEqual({ observations: 288, imports: 2 });
    const imports = s.db
      .prepare('SELECT file_name, records_added, imported_by FROM home_imports ORDER BY rowid')
      .all();
    expect(imports).toEqual([
      { file_name: 'clarity.csv', records_added: 288, imported_by: NURSE },
      { file_name: 'clarity.csv', records_added: 0, imported_by: NURSE },
    ]);
    // The preview of the same file now says so.
    expect(await previewHomeFile({ db: s.db, patientId: s.jane.id, path: file })).toMatchObject({
      newRecords: 0,
      alreadyImported: 288,
    });
  });

  it('adds only the new readings of a later export that overlaps the first, and keeps patients apart', async () => {
    const s = setup();
    const bob = s.patients.registerPatient({ ...JANE, mrn: 'MRN-2002', given: 'Bob', sex: 'male' });
    const early = clarityWindow(s.dir, 'early.csv', 0, 200);
    const later = clarityWindow(s.dir, 'later.csv', 150, 400);
    await importHomeFile({ db: s.db, patientId: s.jane.id, path: early, importedBy: NURSE });
    const result = await importHomeFile({ db: s.db, patientId: s.jane.id, path: later, importedBy: NURSE });
    expect(result).toMatchObject({ recordsRead: 250, added: 200, alreadyImported: 50 });
    expect(counts(s.db).observations).toBe(400);
    // The same file for another patient is that patient's data: all of it is new there.
    const forBob = await importHomeFile({ db: s.db, patientId: bob.id, path: later, importedBy: NURSE });
    expect(forBob.added).toBe(250);
    const times = s.db
      .prepare('SELECT effective_start FROM home_observations WHERE patient_id = ? ORDER BY effective_start')
      .pluck()
      .all(s.jane.id) as string[];
    // Every reading once, five minutes apart.
    expect(new Set(times).size).toBe(400);
    expect(Date.parse(times[1]!) - Date.parse(times[0]!)).toBe(5 * 60_000);
  });

  it('leaves the database as it was when the import is cancelled while reading', async () => {
    const s = setup();
    await importHomeFile({
      db: s.db,
      patientId: s.jane.id,
      path: clarityWindow(s.dir, 'a.csv', 0, 50),
      importedBy: NURSE,
    });
    const before = counts(s.db);
    const big = clarityWindow(s.dir, 'big.csv', 0, 20_000);
    const controller = new AbortController();
    let records = 0;
    // Cancelled after a few thousand records: the reader is mid-file.
    const reader = async function* (input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
      for await (const event of readDexcomClarity(input)) {
        if (event.type === 'record' && ++records === 5000) controller.abort();
        yield event;
      }
    };
    await expect(
      importHomeFile({
        db: s.db,
        patientId: s.jane.id,
        path: big,
        importedBy: NURSE,
        signal: controller.signal,
        reader,
      }),
    ).rejects.toBeInstanceOf(HomeImportCancelled);
    expect(records).toBeLessThan(20_000);
    expect(counts(s.db)).toEqual(before);
    // No staging table is left on the connection.
    expect(s.db.prepare("SELECT count(*) FROM sqlite_temp_master WHERE type = 'table'").pluck().get()).toBe(
      0,
    );
  });

  it('stores nothing of a file when one of its records is refused by the database', async () => {
    const s = setup();
    const file = clarityWindow(s.dir, 'c.csv', 0, 100);
    const before = counts(s.db);
    // A blood pressure without its diastolic value: the table's own check refuses it, at the very end.
    const reader = async function* (input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
      yield* readDexcomClarity(input);
      yield {
        type: 'record',
        record: {
          sourceRecordId: 'bp-1',
          measure: 'bloodPressure',
          effectiveStart: '2026-01-02T08:00:00Z',
          value: 128,
          sourceName: 'Test cuff',
        },
      };
    };
    await expect(
      importHomeFile({ db: s.db, patientId: s.jane.id, path: file, importedBy: NURSE, reader }),
    ).rejects.toThrow(/CHECK constraint/);
    expect(counts(s.db)).toEqual(before);
    // The same file without the bad record imports whole afterwards.
    const ok = await importHomeFile({ db: s.db, patientId: s.jane.id, path: file, importedBy: NURSE });
    expect(ok.added).toBe(100);
  });

  it('asks the nurse to confirm an export that names another birth date or sex, and stores nothing until then', async () => {
    const s = setup();
    const file = clarityWindow(s.dir, 'd.csv', 0, 30);
    const foreign = async function* (input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
      yield { type: 'subject', subject: { birthDate: '1990-02-03', sex: 'male' } };
      yield* readDexcomClarity(input);
    };
    const preview = await previewHomeFile({ db: s.db, patientId: s.jane.id, path: file, reader: foreign });
    expect(preview.subjectCheck.mismatches).toEqual(['birth date', 'sex']);
    await expect(
      importHomeFile({ db: s.db, patientId: s.jane.id, path: file, importedBy: NURSE, reader: foreign }),
    ).rejects.toMatchObject({ code: 'NEEDS_CONFIRMATION' });
    expect(counts(s.db)).toEqual({ observations: 0, imports: 0 });
    const confirmed = await importHomeFile({
      db: s.db,
      patientId: s.jane.id,
      path: file,
      importedBy: NURSE,
      reader: foreign,
      confirmSubjectMismatch: true,
    });
    expect(confirmed.added).toBe(30);
    expect(s.db.prepare('SELECT subject_confirmed FROM home_imports').pluck().get()).toBe(1);

    // The patient's own details match: no question asked.
    const own = async function* (input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
      yield { type: 'subject', subject: { birthDate: JANE.birthDate, sex: 'female' } };
      yield* readDexcomClarity(input);
    };
    const ownPreview = await previewHomeFile({ db: s.db, patientId: s.jane.id, path: file, reader: own });
    expect(ownPreview.subjectCheck.mismatches).toEqual([]);
  });

  it('refuses a file over the size limit and a file of the wrong kind, storing nothing', async () => {
    const s = setup();
    const file = clarityWindow(s.dir, 'e.csv', 0, 2000);
    await expect(
      importHomeFile({ db: s.db, patientId: s.jane.id, path: file, importedBy: NURSE, maxBytes: 1024 }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/e\.csv is .* more than this workstation takes/),
    });
    const png = path.join(s.dir, 'photo.csv');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    await expect(
      importHomeFile({ db: s.db, patientId: s.jane.id, path: png, importedBy: NURSE }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/photo\.csv is a binary file .*Nothing was imported/),
    });
    const letter = path.join(s.dir, 'letter.txt');
    writeFileSync(letter, 'Dear doctor,\nplease find my readings enclosed.\n');
    await expect(
      importHomeFile({ db: s.db, patientId: s.jane.id, path: letter, importedBy: NURSE }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect(counts(s.db)).toEqual({ observations: 0, imports: 0 });
  });

  it('refuses to import a file whose reader found errors, and shows every problem in the preview', async () => {
    const s = setup();
    const good = clarityWindow(s.dir, 'f.csv', 0, 20);
    const text = `${readFileSync(good, 'utf8')}21,2026-01-01T02:00:00,EGV,,,,android G6,abc,,,,,4237999,8AM1EY\r\n`;
    const bad = path.join(s.dir, 'bad.csv');
    writeFileSync(bad, text);
    const preview = await previewHomeFile({ db: s.db, patientId: s.jane.id, path: bad });
    expect(preview.problemCount).toBeGreaterThan(0);
    expect(preview.problems.some((p) => /abc/.test(p.message))).toBe(true);
    expect(preview.blocked).toBe(true);
    await expect(
      importHomeFile({ db: s.db, patientId: s.jane.id, path: bad, importedBy: NURSE }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect(counts(s.db)).toEqual({ observations: 0, imports: 0 });
  });

  it('lists the first few values no person can have, counts the rest in one line, and imports the others', async () => {
    const s = setup();
    const file = clarityWindow(s.dir, 'clarity.csv', 0, 288);
    // The real reader, with every tenth reading made one no person can have (a file built to harm).
    const impossible = async function* (input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
      let n = 0;
      for await (const event of readDexcomClarity(input)) {
        if (event.type === 'record' && n++ % 10 === 0)
          yield { ...event, record: { ...event.record, value: 5000 } };
        else yield event;
      }
    };
    const preview = await previewHomeFile({ db: s.db, patientId: s.jane.id, path: file, reader: impossible });
    const message = 'A record with a value no person can have (or not a number) was left out.';
    expect(preview.problems.map((p) => p.message)).toEqual([
      ...Array<string>(5).fill(message),
      `${message}: ${29 - 5} more like this not listed.`,
    ]);
    expect(preview).toMatchObject({ recordsRead: 288 - 29, newRecords: 288 - 29, blocked: false });
  });
});
