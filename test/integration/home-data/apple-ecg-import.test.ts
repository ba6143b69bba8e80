/**
 * Watch ECGs in an Apple Health export.zip, through the real pipeline on an encrypted database: counted
 * per classification in the preview, stored with their whole trace in the import's one transaction,
 * never twice, never with the name the file prints; a birth date in them that differs from the chart
 * asks the nurse to confirm.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { homeEcgRepository } from '../../../main/db/repositories/home-ecgs';
import { importHomeFile, previewHomeFile } from '../../../main/import/service';
import { appleHealthXml, appleHealthZip, type AppleEcgOptions } from '../../sim/home-data/apple-health';
import { openFixture, JANE } from '../db/fixtures';
import { tempDir } from '../db/helpers';

const NURSE = 'nurse-user-1';
const ME =
  '<Me HKCharacteristicTypeIdentifierDateOfBirth="1958-04-17" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>';
const HR =
  ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Jane’s Apple Watch" unit="count/min" startDate="2026-11-01 08:10:00 +0100" endDate="2026-11-01 08:10:00 +0100" value="71"/>\n';

function setup() {
  const f = openFixture();
  const jane = f.patients.registerPatient(JANE);
  const dir = tempDir('vd-ecg-');
  const zip = (name: string, ecgs: AppleEcgOptions[]): string => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      appleHealthZip(
        appleHealthXml(HR, ME),
        [],
        ecgs.map((e) => ({ birthDate: 'Apr 17, 1958', name: 'Adaeze Okonkwo-Søreide', ...e })),
      ),
    );
    return file;
  };
  /** The preview flags the export's other birth date, and "Import" waits for the nurse's confirmation. */
  const asksToConfirmBirthDate = async (file: string, birthDate: string): Promise<void> => {
    const preview = await previewHomeFile({ db: f.db, patientId: jane.id, path: file });
    expect(preview.subjectCheck).toMatchObject({ mismatches: ['birth date'], subject: { birthDate } });
    await expect(
      importHomeFile({ db: f.db, patientId: jane.id, path: file, importedBy: NURSE }),
    ).rejects.toMatchObject({ code: 'NEEDS_CONFIRMATION' });
  };
  return { ...f, jane, zip, asksToConfirmBirthDate };
}

describe('Apple Health ECGs', () => {
  it('previews them per classification, stores them with the values once, trace and all', async () => {
    const s = setup();
    const file = s.zip('export.zip', [
      { recorded: '2026-11-01 08:15:02 +0100' },
      {
        recorded: '2026-11-03 21:40:11 +0100',
        classification: 'Atrial Fibrillation',
        symptoms: 'Heart palpitations',
      },
      { recorded: '2026-11-04 07:02:45 +0100', classification: 'Atrial Fibrillation' },
      { recorded: '2026-11-05 12:00:00 +0100', classification: 'Poor Recording' },
    ]);
    const preview = await previewHomeFile({ db: s.db, patientId: s.jane.id, path: file });
    expect(preview.ecgs).toEqual({
      count: 4,
      newCount: 4,
      byClassification: [
        { classification: 'sinusRhythm', count: 1 },
        { classification: 'atrialFibrillation', count: 2 },
        { classification: 'poorRecording', count: 1 },
      ],
    });
    expect(preview.subjectCheck.mismatches).toEqual([]);
    expect(preview.problems).toEqual([]);
    expect(s.db.prepare('SELECT count(*) FROM home_ecgs').pluck().get()).toBe(0);

    const result = await importHomeFile({ db: s.db, patientId: s.jane.id, path: file, importedBy: NURSE });
    expect(result).toMatchObject({ added: 1, ecgsAdded: 4 });
    const stored = homeEcgRepository(s.db).forPatient(s.jane.id);
    expect(stored.map((e) => [e.recordedAt, e.classification])).toEqual([
      ['2026-11-05T11:00:00.000Z', 'poorRecording'],
      ['2026-11-04T06:02:45.000Z', 'atrialFibrillation'],
      ['2026-11-03T20:40:11.000Z', 'atrialFibrillation'],
      ['2026-11-01T07:15:02.000Z', 'sinusRhythm'],
    ]);
    expect(stored[2]).toMatchObject({
      symptoms: ['Heart palpitations'],
      device: 'Watch7,3',
      softwareVersion: '2',
    });
    const trace = homeEcgRepository(s.db).samples(s.jane.id, stored[0]!.id);
    expect(trace).toHaveLength(512 * 30);
    // The name and birth date the file prints are in no column.
    const text = JSON.stringify(s.db.prepare('SELECT * FROM home_ecgs').raw().all(), (_k, v: unknown) =>
      Buffer.isBuffer(v) ? null : v,
    );
    expect(text).not.toMatch(/Appleseed|1958|Apr 17/);

    // A later export with one more: only that one is new.
    const later = s.zip('later.zip', [
      { recorded: '2026-11-01 08:15:02 +0100' },
      { recorded: '2026-11-09 09:09:09 +0100', classification: 'Sinus Rhythm' },
    ]);
    expect((await previewHomeFile({ db: s.db, patientId: s.jane.id, path: later })).ecgs).toMatchObject({
      count: 2,
      newCount: 1,
    });
    expect(
      await importHomeFile({ db: s.db, patientId: s.jane.id, path: later, importedBy: NURSE }),
    ).toMatchObject({ ecgsAdded: 1 });
    expect(homeEcgRepository(s.db).forPatient(s.jane.id)).toHaveLength(5);
  });

  it('asks for confirmation when an ECG names another birth date, and stores nothing until then', async () => {
    const s = setup();
    const file = s.zip('export.zip', [{ birthDate: 'Sep 2, 1990' }]);
    const preview = await previewHomeFile({ db: s.db, patientId: s.jane.id, path: file });
    expect(preview.subjectCheck).toMatchObject({
      mismatches: ['birth date'],
      subject: { birthDate: '1990-09-02' },
    });
    await expect(
      importHomeFile({ db: s.db, patientId: s.jane.id, path: file, importedBy: NURSE }),
    ).rejects.toMatchObject({
      code: 'NEEDS_CONFIRMATION',
    });
    expect(s.db.prepare('SELECT count(*) FROM home_ecgs').pluck().get()).toBe(0);
    expect(
      await importHomeFile({
        db: s.db,
        patientId: s.jane.id,
        path: file,
        importedBy: NURSE,
        confirmSubjectMismatch: true,
      }),
    ).toMatchObject({ ecgsAdded: 1 });
  });

  it("reads the birth date a phone set to German prints, and asks only when it is not the chart's", async () => {
    const s = setup();
    // German exports print the birth date day first with dots ("27.03.1987").
    const same = s.zip('same.zip', [{ birthDate: '17.04.1958' }]);
    expect((await previewHomeFile({ db: s.db, patientId: s.jane.id, path: same })).subjectCheck).toEqual({
      subject: { birthDate: '1958-04-17', sex: 'female' },
      mismatches: [],
    });
    await s.asksToConfirmBirthDate(s.zip('export.zip', [{ birthDate: '02.09.1990' }]), '1990-09-02');
    expect(s.db.prepare('SELECT count(*) FROM home_ecgs').pluck().get()).toBe(0);
  });

  it("keeps another birth date for the check when a later ECG in the export is the patient's", async () => {
    const s = setup();
    // One recording of another person among hers, in either order: the check still sees it.
    for (const order of [
      ['Sep 2, 1990', 'Apr 17, 1958'],
      ['Apr 17, 1958', 'Sep 2, 1990'],
    ]) {
      const file = s.zip(`export-${order[0]!.slice(-4)}.zip`, [
        { recorded: '2026-11-01 08:15:02 +0100', birthDate: order[0]! },
        { recorded: '2026-11-02 08:15:02 +0100', birthDate: order[1]! },
        { recorded: '2026-11-03 08:15:02 +0100' },
      ]);
      await s.asksToConfirmBirthDate(file, '1990-09-02');
    }
    expect(s.db.prepare('SELECT count(*) FROM home_ecgs').pluck().get()).toBe(0);
  });

  it('asks for confirmation when an ECG names another person, never passing the name on', async () => {
    const s = setup();
    // The same person written otherwise (order, case, accents) is not flagged.
    const same = s.zip('same.zip', [{ name: 'OKONKWO SOREIDE, Adaeze' }]);
    expect((await previewHomeFile({ db: s.db, patientId: s.jane.id, path: same })).subjectCheck).toEqual({
      subject: { birthDate: '1958-04-17', sex: 'female' },
      mismatches: [],
    });
    // The partner's watch: one of three ECGs is hers.
    const file = s.zip('export.zip', [
      { recorded: '2026-11-01 08:15:02 +0100' },
      { recorded: '2026-11-02 08:15:02 +0100', name: 'Chidi Okonkwo' },
      { recorded: '2026-11-03 08:15:02 +0100' },
    ]);
    const preview = await previewHomeFile({ db: s.db, patientId: s.jane.id, path: file });
    expect(preview.subjectCheck).toEqual({
      subject: { birthDate: '1958-04-17', sex: 'female' },
      mismatches: ['name'],
    });
    expect(JSON.stringify(preview)).not.toMatch(/Chidi/);
    await expect(
      importHomeFile({ db: s.db, patientId: s.jane.id, path: file, importedBy: NURSE }),
    ).rejects.toMatchObject({ code: 'NEEDS_CONFIRMATION', message: expect.stringMatching(/different name/) });
    expect(s.db.prepare('SELECT count(*) FROM home_ecgs').pluck().get()).toBe(0);
    expect(
      await importHomeFile({
        db: s.db,
        patientId: s.jane.id,
        path: file,
        importedBy: NURSE,
        confirmSubjectMismatch: true,
      }),
    ).toMatchObject({ ecgsAdded: 3 });
    const text = JSON.stringify(s.db.prepare('SELECT * FROM home_ecgs').raw().all(), (_k, v: unknown) =>
      Buffer.isBuffer(v) ? null : v,
    );
    expect(text).not.toMatch(/Chidi|Adaeze|Okonkwo/);
  });

  it('imports nothing, ECGs included, when storing fails midway', async () => {
    const s = setup();
    const file = s.zip('export.zip', [{}, { recorded: '2026-11-02 08:00:00 +0100' }]);
    // A trigger that refuses the second ECG: the transaction must take the values and the first ECG back.
    s.db.exec(`CREATE TRIGGER refuse_second BEFORE INSERT ON home_ecgs
      WHEN NEW.recorded_at LIKE '2026-11-02%' BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END`);
    await expect(
      importHomeFile({ db: s.db, patientId: s.jane.id, path: file, importedBy: NURSE }),
    ).rejects.toThrow();
    expect(s.db.prepare('SELECT count(*) FROM home_ecgs').pluck().get()).toBe(0);
    expect(s.db.prepare('SELECT count(*) FROM home_observations').pluck().get()).toBe(0);
    expect(s.db.prepare('SELECT count(*) FROM home_imports').pluck().get()).toBe(0);
  });

  it('leaves out an ECG file larger than any watch recording, and imports the rest', async () => {
    const s = setup();
    // About 18 minutes at 512 Hz: some 4.5 MB, past the 4 MB a recording may take.
    const file = s.zip('export.zip', [{}, { recorded: '2026-11-02 08:00:00 +0100', seconds: 1100 }]);
    const preview = await previewHomeFile({ db: s.db, patientId: s.jane.id, path: file });
    expect(preview.ecgs?.count).toBe(1);
    expect(preview.problems.map((p) => p.message)).toEqual([
      'ECG ecg_2026-11-02_1.csv was left out: it is larger than any watch recording.',
    ]);
  });

  it('leaves out a bad ECG with a warning and imports the rest', async () => {
    const s = setup();
    const file = s.zip('export.zip', [{}, { recorded: '2026-11-02 08:00:00 +0100', unit: 'furlongs' }]);
    const preview = await previewHomeFile({ db: s.db, patientId: s.jane.id, path: file });
    expect(preview.ecgs?.count).toBe(1);
    expect(preview.blocked).toBe(false);
    expect(preview.problems).toEqual([
      {
        severity: 'warning',
        message: expect.stringMatching(/^ECG ecg_2026-11-02_1\.csv was left out: its unit "furlongs"/),
      },
    ]);
  });
});
