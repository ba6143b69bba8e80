/**
 * A large Apple Health export.xml is read in two parts at once (the later part on a thread of its own):
 * what the nurse sees and what is stored must be exactly what one read of the whole file gives. Each case
 * stages and imports the same file both ways, into fresh encrypted databases, with the real reader and
 * the real later-part thread (run from source); the split is forced onto small files (`minBytes: 0`) and
 * placed where the case needs it.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import type { HomeImportPreview, HomeImportResult } from '../../../shared/home-data/import-summary';
import { findLaterPartStart } from '../../../main/import/formats/apple-health/later-part';
import { readAppleHealth } from '../../../main/import/formats/apple-health/reader';
import type { HomeImportReader } from '../../../main/import/formats/events';
import { partThreadFromSource, type HomeFileJob } from '../../../main/import/pipeline';
import { HomeImportCancelled, stageHomeFile } from '../../../main/import/service';
import { APPLE_HEALTH_PROLOGUE, writeAppleHealthXml } from '../../sim/home-data/apple-health';
import { openFixture, JANE } from '../db/fixtures';
import { tempDir } from '../db/helpers';

const NURSE = 'nurse-user-1';
const TWO_PARTS = { ...partThreadFromSource()!, minBytes: 0 };
/**
 * Loose blood-pressure halves that fill a 24 MB heap for the other thread, and not its usual heap: about
 * 20,000 already do (12,000 of them in the later part); three times as many leave a margin.
 */
const HALVES = 60_000;
const SMALL_HEAP_MB = 24;
const ME = `<Me HKCharacteristicTypeIdentifierDateOfBirth="${JANE.birthDate}" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>`;
const HEAD = `${APPLE_HEALTH_PROLOGUE}<HealthData locale="en_GB">\n <ExportDate value="2026-11-30 10:00:00 +0100"/>\n ${ME}\n`;
const TAIL = '</HealthData>\n';
/** A top-level element the reader skips, to move the split without adding records. */
const FILLER =
  ' <ActivitySummary dateComponents="2026-11-29" activeEnergyBurned="512.3" activeEnergyBurnedGoal="600" activeEnergyBurnedUnit="kcal"/>\n';
const PHONE = 'Jane’s iPhone';
const WATCH = 'Jane’s Apple Watch';

function record(
  type: string,
  unit: string | null,
  value: string,
  start: string,
  end = start,
  source = PHONE,
): string {
  return ` <Record type="HKQuantityTypeIdentifier${type}" sourceName="${source}"${unit === null ? '' : ` unit="${unit}"`} startDate="${start}" endDate="${end}" value="${value}"/>\n`;
}
const heartRate = (value: number | string, at: string, unit = 'count/min'): string =>
  record('HeartRate', unit, String(value), at, at, WATCH);
const steps = (count: number, at: string, source = PHONE): string =>
  record('StepCount', 'count', String(count), at, at, source);
const systolic = (value: number, at: string, indent = ''): string =>
  indent + record('BloodPressureSystolic', 'mmHg', String(value), at);
const diastolic = (value: number, at: string, indent = ''): string =>
  indent + record('BloodPressureDiastolic', 'mmHg', String(value), at);
function asleep(start: string, end: string): string {
  return ` <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="${WATCH}" startDate="${start}" endDate="${end}" value="HKCategoryValueSleepAnalysisAsleepCore"/>\n`;
}
function pressureCorrelation(sys: number, dia: number, at: string): string {
  return ` <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="${PHONE}" startDate="${at}" endDate="${at}">\n  <MetadataEntry key="HKWasUserEntered" value="1"/>\n${systolic(sys, at, ' ')}${diastolic(dia, at, ' ')} </Correlation>\n`;
}

/** The byte the reader starts the later part at (see findLaterPartStart): the rule, restated. */
function laterStartOf(text: Buffer): number {
  return text.indexOf('\n <Record ', Math.floor(text.length * 0.4)) + 2;
}

/**
 * An export whose later part starts exactly at `later` (which must begin with " <Record "): filler
 * elements go between the parts and after the later records until the 40 % mark falls right before it.
 */
function splitExport(dir: string, name: string, first: string, later: string, tail = TAIL): string {
  expect(later.startsWith(' <Record ')).toBe(true);
  const head = Buffer.from(HEAD + first);
  const lastRecord = head.lastIndexOf('\n <Record ');
  const filler = Buffer.byteLength(FILLER);
  const rest = Buffer.byteLength(later + tail);
  for (let after = 0; after < 1000; after++) {
    for (let between = 0; between < 1000; between++) {
      // The later part starts at the "<" after the line's one space.
      const boundary = head.length + between * filler + 1;
      const mark = Math.floor((boundary - 1 + rest + after * filler) * 0.4);
      if (mark <= lastRecord || mark > boundary - 2) continue;
      const text = Buffer.from(HEAD + first + FILLER.repeat(between) + later + FILLER.repeat(after) + tail);
      expect(laterStartOf(text)).toBe(boundary);
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    }
  }
  throw new Error('no filler puts the split there');
}

/**
 * An export whose later part would start inside a blood-pressure correlation (its members written one
 * space in, as top-level records are): the first part does not end between two top-level elements.
 */
function splitInsideCorrelation(name: string, tail = TAIL): string {
  const at = '2026-03-07 08:00:00 +0100';
  const inside = ` <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="${PHONE}" startDate="${at}" endDate="${at}">\n`;
  return splitExport(
    tempDir('vd-two-part-'),
    name,
    heartRate(70, '2026-03-07 06:00:00 +0100') + inside,
    systolic(150, at) + diastolic(95, at) + ' </Correlation>\n' + heartRate(72, '2026-03-07 09:00:00 +0100'),
    tail,
  );
}

/** This process's threads, as the system counts them: a worker thread is one of them while it runs. */
const threads = (): number => (existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : 0);

interface Run {
  preview: HomeImportPreview;
  result: Omit<HomeImportResult, 'importId'> | null;
  rows: Record<string, unknown>[];
  /** Records the later part's thread handed over, and whether they were dropped and read again. */
  laterRecords: number;
  dropped: boolean;
}

/** Stages the file for a new patient in a new database and imports it unless blocked. */
interface RunOptions {
  /** An export imported first (read in one part): what the patient already has. */
  before?: string;
  /**
   * The import waits after the first part's first megabyte until the other thread's first batch of
   * records has reached this thread (however long that thread takes to start on this machine).
   */
  waitForLaterBatch?: boolean;
}

/** Batches of records a later part's thread has delivered to this thread, from now until restored. */
function watchLaterBatches(): { delivered(): number; restore(): void } {
  const emit = vi.spyOn(Worker.prototype, 'emit');
  return {
    delivered: () =>
      emit.mock.calls.filter(
        ([name, message]) => name === 'message' && (message as { type?: unknown }).type === 'records',
      ).length,
    restore: () => emit.mockRestore(),
  };
}

async function run(
  file: string,
  partThread: HomeFileJob['partThread'],
  options: RunOptions = {},
): Promise<Run> {
  const f = openFixture();
  try {
    const jane = f.patients.registerPatient(JANE);
    if (options.before) {
      const earlier = await stageHomeFile({
        db: f.db,
        patientId: jane.id,
        path: options.before,
        partThread: null,
      });
      earlier.commit({ importedBy: NURSE, confirmSubjectMismatch: true });
    }
    let laterRecords = 0;
    let dropped = false;
    let paused = false;
    const batches = options.waitForLaterBatch && partThread ? watchLaterBatches() : undefined;
    // The real reader, watched: which way the file was read is part of what each case checks.
    const watched: HomeImportReader = async function* (input) {
      for await (const event of readAppleHealth(input)) {
        if (event.type === 'laterRecords') laterRecords += event.records.length;
        if (event.type === 'laterRecordsDropped') dropped = true;
        if (event.type === 'progress' && batches && !paused) {
          paused = true;
          for (let waited = 0; batches.delivered() === 0; waited += 10) {
            if (waited > 60_000) throw new Error('the later part sent no records');
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        }
        yield event;
      }
    };
    const staged = await stageHomeFile({
      db: f.db,
      patientId: jane.id,
      path: file,
      partThread,
      reader: watched,
    }).finally(() => batches?.restore());
    let result: Run['result'] = null;
    if (staged.preview.blocked) staged.discard();
    else {
      const { importId, ...rest } = staged.commit({ importedBy: NURSE, confirmSubjectMismatch: true });
      expect(importId).toEqual(expect.any(String));
      result = rest;
    }
    const rows = f.db
      .prepare(
        `SELECT source_record_id, measure, value, diastolic, unit, effective_start, effective_end, beyond_range,
           source_name, device, series, version_of IS NOT NULL AS revises
         FROM home_observations ORDER BY source_record_id`,
      )
      .all() as Record<string, unknown>[];
    return { preview: staged.preview, result, rows, laterRecords, dropped };
  } finally {
    f.db.close();
  }
}

/** Reads the file both ways and checks that the two reads cannot be told apart. */
async function bothWays(file: string, options: RunOptions = {}): Promise<{ one: Run; two: Run }> {
  const one = await run(file, null, options);
  const two = await run(file, TWO_PARTS, options);
  expect(one.laterRecords).toBe(0);
  expect(one.dropped).toBe(false);
  expect(two.preview).toEqual(one.preview);
  expect(two.result).toEqual(one.result);
  expect(two.rows).toEqual(one.rows);
  return { one, two };
}

const values = (r: Run, measure: string): unknown[] =>
  r.rows.filter((row) => row.measure === measure).map((row) => [row.value, row.diastolic, row.source_name]);

describe('an Apple Health export read in two parts', () => {
  it('a generated export of a few MB: same preview, same rows as one read', async () => {
    const dir = tempDir('vd-two-part-');
    const file = path.join(dir, 'export.xml');
    await writeAppleHealthXml(file, { targetBytes: 3_000_000, seed: 7, birthDate: JANE.birthDate });
    const { one, two } = await bothWays(file);
    // The later part was really read by the other thread and kept.
    expect(two.laterRecords).toBeGreaterThan(1000);
    expect(two.dropped).toBe(false);
    expect(one.result!.added).toBeGreaterThan(1000);
    expect(one.rows.length).toBe(one.result!.added);
    // The split lies where the rule says, at a top-level record.
    const start = await findLaterPartStart(file, statSync(file).size);
    expect(start).toBeGreaterThan(statSync(file).size * 0.4);
  });

  it('joins blood-pressure halves across the split: a correlation before its top-level copies, a loose pair', async () => {
    const dir = tempDir('vd-two-part-');
    const file = splitExport(
      dir,
      'pressure.xml',
      pressureCorrelation(142, 91, '2026-03-01 08:00:00 +0100') +
        systolic(128, '2026-03-02 08:00:00 +0100') +
        heartRate(61, '2026-03-02 08:01:00 +0100') +
        // Top-level copies before their correlation, which comes after the split.
        systolic(118, '2026-03-03 08:00:00 +0100') +
        diastolic(76, '2026-03-03 08:00:00 +0100'),
      // Apple's top-level copies of the first correlation's members, then the loose systolic's diastolic.
      systolic(142, '2026-03-01 08:00:00 +0100') +
        diastolic(91, '2026-03-01 08:00:00 +0100') +
        diastolic(84, '2026-03-02 08:00:00 +0100') +
        heartRate(64, '2026-03-02 09:00:00 +0100') +
        pressureCorrelation(118, 76, '2026-03-03 08:00:00 +0100'),
    );
    const { one, two } = await bothWays(file);
    // The later correlation and heart rate, then the loose pair, which only the file's end settles.
    expect(two.laterRecords).toBe(3);
    expect(two.dropped).toBe(false);
    // One reading per correlation (its copies add none), one from the loose pair, no problem.
    expect(values(one, 'bloodPressure')).toEqual(
      expect.arrayContaining([
        [142, 91, PHONE],
        [128, 84, PHONE],
        [118, 76, PHONE],
      ]),
    );
    expect(values(one, 'bloodPressure')).toHaveLength(3);
    // The preview's first readings in file order: the pair settled at the file's end comes last.
    expect(one.preview.samples.filter((r) => r.measure === 'bloodPressure').map((r) => r.value)).toEqual([
      142, 118,
    ]);
    expect(one.preview.problems).toEqual([]);
    expect(one.result).toMatchObject({ added: 5, duplicatesInFile: 0 });
  });

  it('sums a day’s steps and a night’s sleep across the split into one total each', async () => {
    const dir = tempDir('vd-two-part-');
    const file = splitExport(
      dir,
      'totals.xml',
      steps(1000, '2026-03-02 09:00:00 +0100') +
        steps(1200, '2026-03-02 10:00:00 +0100', WATCH) +
        asleep('2026-03-01 23:00:00 +0100', '2026-03-02 02:00:00 +0100'),
      // The phone's later steps make it the larger source; the night goes on after the split.
      steps(600, '2026-03-02 18:00:00 +0100') +
        steps(100, '2026-03-02 19:00:00 +0100', WATCH) +
        asleep('2026-03-02 02:30:00 +0100', '2026-03-02 06:30:00 +0100') +
        heartRate(70, '2026-03-02 12:00:00 +0100'),
    );
    // The patient already has the day's total from an export made that morning: it gets a new version.
    const morning = path.join(dir, 'morning.xml');
    writeFileSync(morning, HEAD + steps(1000, '2026-03-02 09:00:00 +0100') + TAIL);
    const { one, two } = await bothWays(file, { before: morning });
    // The heart rate, then the day's and the night's totals, staged after it as at the file's end.
    expect(two.laterRecords).toBe(3);
    const daySteps = one.rows
      .filter((row) => row.measure === 'steps')
      .map((row) => [row.value, row.source_name, row.revises])
      .sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(daySteps).toEqual([
      [1000, PHONE, 0],
      [1600, PHONE, 1],
    ]);
    expect(values(one, 'sleep')).toEqual([[7, null, WATCH]]);
    const night = one.rows.find((row) => row.measure === 'sleep')!;
    expect([night.effective_start, night.effective_end]).toEqual([
      '2026-03-01T22:00:00.000Z',
      '2026-03-02T05:30:00.000Z',
    ]);
    expect(one.preview.counts).toEqual(
      expect.arrayContaining([
        { measure: 'steps', count: 1 },
        { measure: 'sleep', count: 1 },
      ]),
    );
  });

  it('counts a record found in both parts once, its repeats as duplicates in the file, and stores it once', async () => {
    const dir = tempDir('vd-two-part-');
    const repeated = heartRate(77, '2026-03-03 07:00:00 +0100');
    const file = splitExport(
      dir,
      'repeated.xml',
      heartRate(70, '2026-03-03 06:00:00 +0100') + repeated,
      // Twice more after the split: each part finds its own duplicates, then the later part's in the first.
      repeated + heartRate(80, '2026-03-03 08:00:00 +0100') + repeated,
    );
    const { one, two } = await bothWays(file);
    expect(two.laterRecords).toBe(3);
    expect(one.preview).toMatchObject({ recordsRead: 5, newRecords: 3, duplicatesInFile: 2 });
    expect(one.preview.counts).toEqual([{ measure: 'heartRate', count: 3 }]);
    expect(one.preview.sources).toEqual([{ sourceName: WATCH, device: null, count: 3 }]);
    expect(one.result).toMatchObject({ recordsRead: 5, added: 3, duplicatesInFile: 2 });
    expect(values(one, 'heartRate')).toEqual(
      expect.arrayContaining([
        [70, null, WATCH],
        [77, null, WATCH],
        [80, null, WATCH],
      ]),
    );
    expect(one.rows).toHaveLength(3);
  });

  it('reports problems of both parts with the same lines and the same “more like this” counts', async () => {
    const dir = tempDir('vd-two-part-');
    const unknown = (i: number): string => heartRate(60 + i, `2026-03-04 0${i}:00:00 +0100`, 'beats');
    const implausible = (i: number): string => heartRate(900 + i, `2026-03-05 0${i}:00:00 +0100`);
    const fine = (i: number): string => heartRate(60 + i, `2026-03-06 0${i}:00:00 +0100`);
    const file = splitExport(
      dir,
      'problems.xml',
      [0, 1, 2, 3].map(unknown).join('') + fine(0) + implausible(0),
      [4, 5, 6, 7].map(unknown).join('') +
        [1, 2, 3, 4, 5, 6, 7].map(implausible).join('') +
        fine(1) +
        // A diastolic without its systolic: reported at the file's end, with the line it was read on.
        diastolic(70, '2026-03-10 08:00:00 +0100'),
    );
    const { one, two } = await bothWays(file);
    expect(two.laterRecords).toBe(1);
    const messages = one.preview.problems.map((p) => p.message);
    const text = readFileSync(file, 'latin1');
    const lineOf = (needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;
    // Five of each kind shown with their lines, then one count of the rest.
    const shown = (pattern: RegExp): string[] =>
      messages.filter((m) => /^Line \d+: /.test(m) && pattern.test(m));
    expect(shown(/unit "beats"/)).toHaveLength(5);
    expect(shown(/outside what a person can have/)).toHaveLength(5);
    expect(messages).toContain('Unknown unit "beats" for heart rate: 3 more like this not listed.');
    expect(messages).toContain('Implausible heart rate: 3 more like this not listed.');
    expect(one.preview.problemCount).toBe(2 * 5 + 2 + 1);
    expect(messages).toContain(
      `Line ${lineOf('value="70"')}: a blood pressure value without its other half; not imported.`,
    );
    // The fifth unknown unit is the first of the later part: its line is counted through both.
    const fifth = shown(/unit "beats"/)[4]!;
    expect(fifth).toMatch(new RegExp(`^Line ${lineOf('value="64"')}:`));
    expect(one.preview.blocked).toBe(true);
    expect(one.rows).toEqual([]);
  });

  it('reads an export saved with a byte-order mark and Windows line ends the same way', async () => {
    const dir = tempDir('vd-two-part-');
    const file = path.join(dir, 'crlf.xml');
    const body = Array.from({ length: 60 }, (_, i) =>
      i % 7 === 3
        ? heartRate(60 + i, `2026-03-09 ${String(i % 24).padStart(2, '0')}:00:00 +0100`, 'beats')
        : heartRate(
            60 + i,
            `2026-03-09 ${String(i % 24).padStart(2, '0')}:${String(i).padStart(2, '0')}:00 +0100`,
          ),
    ).join('');
    writeFileSync(file, '\ufeff' + (HEAD + body + TAIL).replace(/\n/g, '\r\n'));
    const { one, two } = await bothWays(file);
    expect(two.laterRecords).toBeGreaterThan(0);
    expect(two.dropped).toBe(false);
    // Nine in an unknown unit: five shown with their lines, then one count of the other four.
    expect(one.preview.problemCount).toBe(5 + 1);
    expect(one.preview.problems[0]?.message).toMatch(/^Line \d+: /);
  });

  it('refuses a malformed tag in the later part with the same message and line, and stores nothing', async () => {
    const dir = tempDir('vd-two-part-');
    const file = splitExport(
      dir,
      'malformed.xml',
      heartRate(70, '2026-03-03 06:00:00 +0100'),
      heartRate(71, '2026-03-03 07:00:00 +0100') +
        ' <Record type="HKQuantityTypeIdentifierHeartRate" value="72"\n' +
        heartRate(73, '2026-03-03 08:00:00 +0100'),
    );
    const { one } = await bothWays(file);
    expect(one.preview.blocked).toBe(true);
    const text = readFileSync(file, 'latin1');
    const broken = text.slice(0, text.indexOf('value="72"')).split('\n').length;
    expect(one.preview.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          new RegExp(`^The export is not well-formed at line (${broken}|${broken + 1}):`),
        ),
      }),
    ]);
    expect(one.rows).toEqual([]);
  });

  it('refuses a file cut short in its later part with the same message and line as one read', async () => {
    const dir = tempDir('vd-two-part-');
    const file = splitExport(
      dir,
      'later-cut-short.xml',
      heartRate(70, '2026-03-03 06:00:00 +0100'),
      heartRate(71, '2026-03-03 07:00:00 +0100') + heartRate(72, '2026-03-03 08:00:00 +0100'),
      '',
    );
    const { one, two } = await bothWays(file);
    expect(two.dropped).toBe(false);
    expect(one.preview.blocked).toBe(true);
    expect(one.preview.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^The export is not well-formed at line \d+: .*cut short/),
    ]);
    expect(one.rows).toEqual([]);
  });

  it('reads the rest itself when the split falls inside a correlation, with the same result', async () => {
    const file = splitInsideCorrelation('inside.xml');
    const { one, two } = await bothWays(file);
    expect(two.dropped).toBe(true);
    expect(values(one, 'bloodPressure')).toEqual([[150, 95, PHONE]]);
    expect(one.result).toMatchObject({ added: 3, recordsRead: 3 });
  });

  it('forgets what the other thread had staged when the split falls inside a long correlation', async () => {
    const dir = tempDir('vd-two-part-');
    const file = path.join(dir, 'long-correlation.xml');
    const at = '2026-03-08 08:00:00 +0100';
    const minute = (i: number): string =>
      `2026-0${1 + Math.floor(i / 40_000)}-${String(1 + (Math.floor(i / 1440) % 28)).padStart(2, '0')} ${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00 +0100`;
    const before = Array.from({ length: 12_000 }, (_, i) => heartRate(60 + (i % 40), minute(i))).join('');
    // Written one space in, as a top-level record would be: the other thread takes them for records.
    const inside = Array.from({ length: 24_000 }, (_, i) =>
      heartRate(100 + (i % 40), minute(40_000 + i)),
    ).join('');
    const open = ` <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="${PHONE}" startDate="${at}" endDate="${at}">\n`;
    const text =
      HEAD +
      before +
      open +
      inside +
      systolic(135, at) +
      diastolic(85, at) +
      ' </Correlation>\n' +
      heartRate(66, '2026-04-01 09:00:00 +0100') +
      TAIL;
    writeFileSync(file, text);
    const start = await findLaterPartStart(file, statSync(file).size);
    expect(start).toBeGreaterThan(Buffer.byteLength(HEAD + before + open));
    // The first part waits after its first megabyte until the other thread's first batch is in.
    // The patient already has a reading: what is new is then looked up among the staged rows.
    const earlier = path.join(dir, 'earlier.xml');
    writeFileSync(earlier, HEAD + heartRate(66, '2026-04-01 09:00:00 +0100') + TAIL);
    const { one, two } = await bothWays(file, { waitForLaterBatch: true, before: earlier });
    expect(two.laterRecords).toBeGreaterThan(0);
    expect(two.dropped).toBe(true);
    // Only the reading the correlation stands for comes of its contents.
    expect(one.preview).toMatchObject({
      recordsRead: 12_000 + 2,
      newRecords: 12_000 + 1,
      alreadyImported: 1,
    });
    expect(one.rows.filter((row) => row.measure === 'heartRate' && (row.value as number) >= 100)).toEqual([]);
    expect(values(one, 'bloodPressure')).toEqual([[135, 85, PHONE]]);
  });

  it('adds only what a patient does not have yet, as one read does', async () => {
    const dir = tempDir('vd-two-part-');
    const earlier = path.join(dir, 'earlier.xml');
    const file = path.join(dir, 'export.xml');
    await writeAppleHealthXml(file, { targetBytes: 1_500_000, seed: 3, birthDate: JANE.birthDate });
    // The earlier export: the same file cut a fifth of the way in, inside its step counts (an export made earlier).
    const whole = readFileSync(file, 'utf8');
    writeFileSync(
      earlier,
      `${whole.slice(0, whole.indexOf('\n <Record ', whole.length / 5) + 1)}</HealthData>\n`,
    );
    const { one, two } = await bothWays(file, { before: earlier });
    expect(two.laterRecords).toBeGreaterThan(0);
    expect(one.preview.alreadyImported).toBeGreaterThan(0);
    expect(one.preview.newRecords).toBeGreaterThan(0);
    expect(one.result!.added).toBe(one.preview.newRecords);
  });

  it('refuses a file cut short after a split inside a correlation, as one read does', async () => {
    // No </HealthData>: the phone stopped writing.
    const file = splitInsideCorrelation('cut-short.xml', '');
    const { one, two } = await bothWays(file);
    expect(two.dropped).toBe(true);
    expect(one.preview.blocked).toBe(true);
    expect(one.preview.problems[0]?.message).toMatch(/cut short/);
    expect(one.rows).toEqual([]);
  });

  it('reads the rest itself when the other thread runs out of its memory, with the same result', async () => {
    // Blood-pressure halves with no other half wait for the file's end: a later part full of them fills
    // a small heap. Heart rates between them go over in batches before the thread runs out.
    const day = (i: number): string =>
      `2025-${String(1 + (Math.floor(i / 1440) % 12)).padStart(2, '0')}-${String(1 + (Math.floor(i / 48) % 28)).padStart(2, '0')} ${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00 +0100`;
    const body = Array.from(
      { length: HALVES },
      (_, i) => heartRate(60 + (i % 40), day(i)) + systolic(110 + (i % 50), day(i)),
    ).join('');
    const file = path.join(tempDir('vd-two-part-'), 'loose-halves.xml');
    writeFileSync(file, HEAD + body + TAIL);
    const one = await run(file, null);
    const starved = await run(file, { ...TWO_PARTS, heapMb: SMALL_HEAP_MB });
    expect(starved.laterRecords).toBeGreaterThan(0);
    expect(starved.dropped).toBe(true);
    expect(starved.preview).toEqual(one.preview);
    expect(starved.result).toEqual(one.result);
    expect(starved.rows).toEqual(one.rows);
    // With its usual heap the same thread reads its part to the end: the small heap was the fault.
    const usual = await run(file, TWO_PARTS);
    expect(usual.dropped).toBe(false);
    expect(usual.rows).toEqual(one.rows);
    expect(one.preview.problems[0]?.message).toMatch(/without its other half/);
  });

  it('a cancel while both parts are read stores nothing and ends the other thread', async () => {
    const dir = tempDir('vd-two-part-');
    const file = path.join(dir, 'export.xml');
    await writeAppleHealthXml(file, { targetBytes: 12_000_000, seed: 11, birthDate: JANE.birthDate });
    const f = openFixture();
    try {
      const jane = f.patients.registerPatient(JANE);
      const controller = new AbortController();
      let laterBatches = 0;
      const before = threads();
      let during = 0;
      const watched: HomeImportReader = async function* (input) {
        for await (const event of readAppleHealth(input)) {
          // The other thread is started before the first megabyte is read.
          if (event.type === 'progress' && during === 0) during = threads();
          // Cancelled once the other thread's first batch is in: both parts are being read.
          if (event.type === 'laterRecords' && ++laterBatches === 1) controller.abort();
          yield event;
        }
      };
      await expect(
        stageHomeFile({
          db: f.db,
          patientId: jane.id,
          path: file,
          partThread: TWO_PARTS,
          reader: watched,
          signal: controller.signal,
        }),
      ).rejects.toBeInstanceOf(HomeImportCancelled);
      expect(laterBatches).toBe(1);
      // The other thread ended with the cancel (counted where the system shows threads: Linux). Its part
      // holds more batches than it sends ahead unasked, so it would still be waiting had it not been ended.
      if (before > 0) {
        expect(during).toBeGreaterThan(before);
        expect(threads()).toBe(before);
      }
      expect(f.db.prepare('SELECT count(*) FROM home_observations').pluck().get()).toBe(0);
      expect(f.db.prepare('SELECT count(*) FROM home_imports').pluck().get()).toBe(0);
      // The same file imports afterwards in two parts: nothing was left half-staged.
      const again = await stageHomeFile({ db: f.db, patientId: jane.id, path: file, partThread: TWO_PARTS });
      expect(again.preview.recordsRead).toBeGreaterThan(1000);
      again.discard();
    } finally {
      f.db.close();
    }
  });
});
