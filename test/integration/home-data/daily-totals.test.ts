/**
 * Daily step totals and nightly sleep totals are revised by a later, fuller export: the day's total is
 * superseded by a new version (the table stays append-only), review and sync see one total per day (the
 * newest), and re-importing either export adds nothing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/connection';
import { migrations } from '../../../main/db/migrations';
import { homeObservationRepository } from '../../../main/db/repositories/home-observations';
import { importHomeFile, previewHomeFile } from '../../../main/import/service';
import { buildHomeBundle, homeSyncSource } from '../../../main/sync/home-sync';
import { appleHealthXml } from '../../sim/home-data/apple-health';
import { openFixture, JANE } from '../db/fixtures';
import { randomKey, tempDir } from '../db/helpers';

const NURSE = 'nurse-user-1';
const ME = `<Me HKCharacteristicTypeIdentifierDateOfBirth="${JANE.birthDate}" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>`;

function steps(count: number, start: string, source = 'Jane’s iPhone'): string {
  return ` <Record type="HKQuantityTypeIdentifierStepCount" sourceName="${source}" unit="count" startDate="${start}" endDate="${start}" value="${count}"/>\n`;
}
function asleep(start: string, end: string): string {
  return ` <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Jane’s Apple Watch" startDate="${start}" endDate="${end}" value="HKCategoryValueSleepAnalysisAsleepCore"/>\n`;
}
function heartRate(value: number, at: string): string {
  return ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Jane’s Apple Watch" unit="count/min" startDate="${at}" endDate="${at}" value="${value}"/>\n`;
}

/** The export of 2 March evening, and the fuller one of 3 March: more steps on the 2nd, a longer night. */
const MONDAY = [
  steps(1000, '2026-03-01 09:00:00 +0100'),
  steps(500, '2026-03-01 18:00:00 +0100'),
  steps(800, '2026-03-02 09:00:00 +0100'),
  asleep('2026-03-01 23:00:00 +0100', '2026-03-02 05:00:00 +0100'),
  heartRate(62, '2026-03-02 08:00:00 +0100'),
];
const TUESDAY = [
  ...MONDAY.slice(0, 3),
  steps(4200, '2026-03-02 19:00:00 +0100'),
  steps(300, '2026-03-03 08:00:00 +0100'),
  asleep('2026-03-01 23:00:00 +0100', '2026-03-02 05:00:00 +0100'),
  asleep('2026-03-02 05:10:00 +0100', '2026-03-02 06:40:00 +0100'),
  heartRate(62, '2026-03-02 08:00:00 +0100'),
  heartRate(58, '2026-03-03 07:00:00 +0100'),
];

describe('daily and nightly totals from Apple Health exports', () => {
  it('a later, fuller export supersedes the day’s total; review and sync use the newest; re-imports add nothing', async () => {
    const f = openFixture();
    const jane = f.patients.registerPatient(JANE);
    const dir = tempDir('vd-home-');
    const write = (name: string, body: string[]): string => {
      const file = path.join(dir, name);
      writeFileSync(file, appleHealthXml(body.join(''), ME));
      return file;
    };
    const monday = write('export-monday.xml', MONDAY);
    const tuesday = write('export-tuesday.xml', TUESDAY);
    const job = { db: f.db, patientId: jane.id, importedBy: NURSE };
    const repo = homeObservationRepository(f.db);
    const current = (measure: string): [string, number][] =>
      repo
        .list(jane.id, { from: '2026-01-01', to: '2026-12-31', limit: 100 })
        .filter((o) => o.measure === measure)
        .map((o) => [o.effectiveStart, o.value]);

    const first = await importHomeFile({ ...job, path: monday });
    // Two days of steps, one night, one heart rate.
    expect(first.added).toBe(4);
    expect(current('steps')).toEqual([
      ['2026-02-28T23:00:00.000Z', 1500],
      ['2026-03-01T23:00:00.000Z', 800],
    ]);
    expect(current('sleep').map(([, v]) => v)).toEqual([6]);

    // The same export again: nothing new, nothing superseded.
    expect(await previewHomeFile({ ...job, path: monday })).toMatchObject({ newRecords: 0 });
    expect((await importHomeFile({ ...job, path: monday })).added).toBe(0);

    // The fuller export: the 2nd's total and the night are revised, the 3rd is new, the 1st unchanged.
    const preview = await previewHomeFile({ ...job, path: tuesday });
    expect(preview).toMatchObject({ newRecords: 4, alreadyImported: 2 });
    const second = await importHomeFile({ ...job, path: tuesday });
    expect(second.added).toBe(4);
    expect(current('steps')).toEqual([
      ['2026-02-28T23:00:00.000Z', 1500],
      ['2026-03-01T23:00:00.000Z', 5000],
      ['2026-03-02T23:00:00.000Z', 300],
    ]);
    expect(current('sleep').map(([, v]) => v)).toEqual([7.5]);
    expect(repo.count(jane.id)).toBe(3 + 1 + 2);

    // Append-only: the first figure is still stored, superseded by the new version.
    const versions = f.db
      .prepare(
        `SELECT id, value, version_of FROM home_observations WHERE series = 'apple-health:steps:2026-03-02' ORDER BY rowid`,
      )
      .all() as { id: string; value: number; version_of: string | null }[];
    expect(versions.map((v) => v.value)).toEqual([800, 5000]);
    expect(versions[1]!.version_of).toBe(versions[0]!.id);
    expect(() =>
      f.db.prepare('UPDATE home_observations SET value = 1 WHERE id = ?').run(versions[1]!.id),
    ).toThrow(/append-only/);

    // Either export again, in any order: nothing added, the newest figure stays.
    expect((await importHomeFile({ ...job, path: tuesday })).added).toBe(0);
    expect((await importHomeFile({ ...job, path: monday })).added).toBe(0);
    expect(current('steps').map(([, v]) => v)).toEqual([1500, 5000, 300]);

    // Sync sends one Observation per day: the newest, as an update of that day's Observation.
    const rows = homeSyncSource(f.db).after(0, 100);
    const bundle = buildHomeBundle(rows);
    const stepEntries = (bundle.entry ?? []).filter(
      (e) =>
        e.resource?.resourceType === 'Observation' &&
        JSON.stringify(e.resource).includes('"value":5000') === true,
    );
    expect(stepEntries).toHaveLength(1);
    expect(stepEntries[0]!.request).toMatchObject({ method: 'PUT' });
    expect(stepEntries[0]!.request!.url).toContain(
      encodeURIComponent(`${jane.id}/apple-health:steps:2026-03-02`),
    );
    const values = rows.filter((r) => r.measure === 'steps').map((r) => r.value);
    expect(values.sort((a, b) => a - b)).toEqual([300, 1500, 5000]);
  });

  it('an older export imported after a newer one leaves the newer day and night totals as they are', async () => {
    const f = openFixture();
    const jane = f.patients.registerPatient(JANE);
    const dir = tempDir('vd-home-');
    const monday = path.join(dir, 'export-monday.xml');
    const tuesday = path.join(dir, 'export-tuesday.xml');
    writeFileSync(monday, appleHealthXml(MONDAY.join(''), ME, '2026-03-02 20:00:00 +0100'));
    writeFileSync(tuesday, appleHealthXml(TUESDAY.join(''), ME, '2026-03-03 20:00:00 +0100'));
    const job = { db: f.db, patientId: jane.id, importedBy: NURSE };
    const repo = homeObservationRepository(f.db);
    const totals = (): number[] =>
      repo
        .list(jane.id, { from: '2026-01-01', to: '2026-12-31', limit: 100 })
        .filter((o) => o.measure === 'steps' || o.measure === 'sleep')
        .map((o) => o.value);

    await importHomeFile({ ...job, path: tuesday });
    expect(totals()).toEqual([1500, 7.5, 5000, 300]);
    expect(f.db.prepare('SELECT exported_at FROM home_imports').pluck().get()).toBe(
      '2026-03-03T19:00:00.000Z',
    );

    // Monday's export, found later: its 800 steps on the 2nd and its shorter night are older figures.
    const preview = await previewHomeFile({ ...job, path: monday });
    expect(preview.newRecords).toBe(0);
    expect(preview.problems.map((p) => p.message)).toContain(
      'This export was made before one already imported: 2 day and night totals were left as the newer export gave them.',
    );
    expect((await importHomeFile({ ...job, path: monday })).added).toBe(0);
    expect(totals()).toEqual([1500, 7.5, 5000, 300]);
  });

  it('a total stored before revisable totals existed is not stored again when the same export is re-imported', async () => {
    const dir = tempDir('vd-home-');
    const file = path.join(dir, 'vitals.db');
    const key = randomKey();
    const old = openDatabase({ file, key, migrations: migrations.filter((m) => m.version <= 50) });
    old
      .prepare(
        `INSERT INTO patients (id, mrn, family, given, birth_date, sex, search_name, created_at, updated_at)
       VALUES ('p1', 'MRN-1001', 'Okonkwo', 'Adaeze', ?, 'female', 'okonkwo adaeze', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')`,
      )
      .run(JANE.birthDate);
    old
      .prepare(
        `INSERT INTO home_imports (id, patient_id, format, file_name, file_bytes, imported_at, imported_by, records_read,
         records_added, warnings, subject_confirmed)
       VALUES ('i1', 'p1', 'apple-health', 'export.xml', 1, '2026-03-02T20:00:00Z', ?, 1, 1, 0, 0)`,
      )
      .run(NURSE);
    old
      .prepare(
        `INSERT INTO home_observations (id, patient_id, import_id, format, source_record_id, measure, value, unit,
         effective_start, effective_end, source_name)
       VALUES ('o1', 'p1', 'i1', 'apple-health', 'apple-health:steps:2026-03-01', 'steps', 1500, '/d',
         '2026-02-28T23:00:00.000Z', '2026-03-01T23:00:00.000Z', 'Jane’s iPhone')`,
      )
      .run();
    old.close();

    const db = openDatabase({ file, key });
    expect(db.prepare("SELECT series FROM home_observations WHERE id = 'o1'").pluck().get()).toBe(
      'apple-health:steps:2026-03-01',
    );
    const xml = path.join(dir, 'export.xml');
    writeFileSync(xml, appleHealthXml(MONDAY.join(''), ME));
    const result = await importHomeFile({ db, patientId: 'p1', path: xml, importedBy: NURSE });
    // The 1st's 1500 steps are already stored: only the 2nd, the night and the heart rate are new.
    expect(result.added).toBe(3);
    expect(
      db
        .prepare("SELECT count(*) FROM home_observations WHERE series = 'apple-health:steps:2026-03-01'")
        .pluck()
        .get(),
    ).toBe(1);
    db.close();
  });
});
