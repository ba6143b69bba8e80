/**
 * Hostile "patient exports" through the real core, its import worker thread (with the heap the app gives
 * it) and the nurse's channels, as a shift meets them: a file of hundreds of MB with no line break or no
 * end to its tag, elements nested millions deep, a pipe or a device offered as the file, an export whose
 * values and names are built to mislead. For each: the nurse gets a clear message, nothing reaches the
 * chart, the app goes on importing the next patient's file, and no log line carries the file's content.
 * There is no file dialog in a test: the picker is a stand-in that returns the file the test wrote.
 */
import { execFileSync } from 'node:child_process';
import {
  createWriteStream,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { parsePolicy } from '../../../main/policy/load';
import { buildHomeBundle, homeSyncSource } from '../../../main/sync/home-sync';
import type { HomeImportPreview, HomeImportResult } from '../../../shared/home-data/import-summary';
import { createTestCore, call } from '../../support/core';
import { signInAs } from '../../support/session';
import { tempDir } from '../db/helpers';
import { clarityWindow } from './helpers';
import { appleHealthXml } from '../../sim/home-data/apple-health';
import { libreViewCsv } from '../../sim/home-data/cgm';

const cores: { core: Core; dataDir: string }[] = [];
afterEach(async () => {
  for (const { core } of cores.splice(0)) await core.close();
});

/** Words of the file that would be patient data in a real one: none may reach a log. */
const MARKERS = ['Lindqvist', 'MARKER-SOURCE', 'MARKER-DEVICE', 'calc'];

async function shift() {
  const { core, dataDir } = await createTestCore({ policy: { file: '', ...parsePolicy('{}') } });
  cores.push({ core, dataDir });
  await signInAs(core, 'nurse', 'nurse-window');
  let next: string | null = null;
  core.attachFilePicker({ pick: () => Promise.resolve(next) });
  const patient = await call<{ id: string }>(core, 'nurse-window', 'patients.register', {
    mrn: 'MRN-6606',
    family: 'Lindqvist',
    given: 'Maja',
    birthDate: '1961-04-12',
    sex: 'female',
  });
  const choose = async (file: string): Promise<string> => {
    next = file;
    const chosen = await call<{ file: { token: string } | null }>(
      core,
      'nurse-window',
      'homeData.chooseFile',
      {},
    );
    return chosen.file!.token;
  };
  const previewChosen = async (fileToken: string): Promise<{ jobId: string; preview: HomeImportPreview }> => {
    const jobId = crypto.randomUUID();
    const answer = await call<{ status: string; preview: HomeImportPreview }>(
      core,
      'nurse-window',
      'homeData.preview',
      { jobId, patientId: patient.id, fileToken },
    );
    return { jobId, preview: answer.preview };
  };
  const preview = async (file: string) => previewChosen(await choose(file));
  const importJob = (jobId: string) =>
    call<{ status: string; result: HomeImportResult }>(core, 'nurse-window', 'homeData.import', {
      jobId,
      patientId: patient.id,
    });
  const count = (): number =>
    core
      .db!.prepare('SELECT count(*) FROM home_observations WHERE patient_id = ?')
      .pluck()
      .get(patient.id) as number;
  /** Every log line the app wrote, for the PHI check. */
  const logs = (): string => {
    const dir = path.join(dataDir, 'logs');
    try {
      return readdirSync(dir)
        .map((name) => readFileSync(path.join(dir, name), 'utf8'))
        .join('\n');
    } catch {
      return '';
    }
  };
  /** The app is still up: a usual CGM export previews and imports. */
  const importsUsualFile = async (): Promise<void> => {
    const before = count();
    const file = clarityWindow(tempDir('vd-hostile-ok-'), 'clarity.csv', 0, 288);
    const { jobId, preview: usual } = await preview(file);
    expect(usual).toMatchObject({ blocked: false, newRecords: 288 });
    expect((await importJob(jobId)).result.added).toBe(288);
    expect(count()).toBe(before + 288);
  };
  return { core, patient, choose, previewChosen, preview, importJob, count, logs, importsUsualFile };
}

/** Writes `head`, then `filler` to `megabytes` MB, then `tail`, a megabyte at a time (bounded memory). */
async function writeLarge(
  file: string,
  head: string,
  filler: string,
  megabytes: number,
  tail = '',
): Promise<void> {
  const out = createWriteStream(file);
  const piece = Buffer.from(filler.repeat(Math.ceil((1024 * 1024) / filler.length)).slice(0, 1024 * 1024));
  const write = (chunk: Buffer | string): Promise<void> =>
    new Promise((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve())));
  await write(head);
  for (let i = 0; i < megabytes; i++) await write(piece);
  await write(tail);
  await new Promise<void>((resolve) => out.end(resolve));
}

describe('hostile home-data files through the import thread', () => {
  it('refuses hundreds of MB without a tag end or a line break, within the import thread’s memory, and imports the next file', async () => {
    const s = await shift();
    const dir = tempDir('vd-hostile-big-');
    // An attribute value that never closes, 256 MB long: more than the import thread's whole heap.
    const xml = path.join(dir, 'export.xml');
    await writeLarge(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_GB">\n <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="',
      'MARKER-SOURCE ',
      256,
    );
    expect(statSync(xml).size).toBeGreaterThan(256 * 1024 * 1024);
    const endless = await s.preview(xml);
    expect(endless.preview).toMatchObject({ blocked: true, recordsRead: 0, newRecords: 0 });
    expect(endless.preview.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message:
          'The export is not well-formed at line 3: A tag never ends (the file is damaged or not XML).',
      }),
    ]);
    await expect(s.importJob(endless.jobId)).rejects.toThrow(
      /VALIDATION export\.xml has a problem that must be fixed first\. Nothing was imported/,
    );

    // A CGM export whose second line is 256 MB with no line break.
    const csv = path.join(dir, 'clarity.csv');
    const header = readFileSync(clarityWindow(dir, 'head.csv', 0, 1), 'utf8').split('\n')[0]!;
    await writeLarge(csv, `${header}\n`, 'MARKER-DEVICE,', 256);
    const line = await s.preview(csv);
    expect(line.preview).toMatchObject({ format: 'dexcom-clarity', blocked: true, newRecords: 0 });
    expect(line.preview.problems[0]?.message).toBe(
      'Line 2 is longer than any line of a health export: this is not a text export.',
    );
    expect(s.count()).toBe(0);
    await s.importsUsualFile();
    expect(s.logs()).not.toMatch(new RegExp(MARKERS.join('|')));
  }, 180_000);

  it('refuses elements nested millions deep with a clear message, not by running out of memory', async () => {
    const s = await shift();
    const dir = tempDir('vd-hostile-deep-');
    const xml = path.join(dir, 'export.xml');
    // 20 million open elements: their names alone would fill the import thread's heap.
    await writeLarge(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_GB">\n',
      '<a>',
      60,
      '\n',
    );
    const deep = await s.preview(xml);
    expect(deep.preview).toMatchObject({ blocked: true, newRecords: 0 });
    expect(deep.preview.problems[0]?.message).toBe(
      'The export is not well-formed at line 3: Elements nested more than 64 deep: this is not an export.',
    );
    expect(s.count()).toBe(0);
    await s.importsUsualFile();
  }, 180_000);

  it('refuses a pipe, /dev/zero and a link to it as the chosen file, and one swapped in after choosing', async () => {
    const s = await shift();
    const dir = tempDir('vd-hostile-dev-');
    const fifo = path.join(dir, 'export.xml');
    execFileSync('mkfifo', [fifo]);
    const link = path.join(dir, 'export.zip');
    symlinkSync('/dev/zero', link);
    for (const [file, name] of [
      [fifo, 'export.xml'],
      ['/dev/zero', 'zero'],
      [link, 'export.zip'],
    ] as const) {
      await expect(s.choose(file)).rejects.toThrow(
        `homeData.chooseFile failed: NOT_FOUND ${name} is not a file that can be imported (a folder, a device or a pipe).`,
      );
    }
    // Chosen as a file, then replaced by a pipe before the preview reads it.
    const swapped = path.join(dir, 'swapped.csv');
    writeFileSync(swapped, 'a,b\n1,2\n');
    const token = await s.choose(swapped);
    unlinkSync(swapped);
    execFileSync('mkfifo', [swapped]);
    await expect(s.previewChosen(token)).rejects.toThrow(
      'homeData.preview failed: VALIDATION swapped.csv is not a file.',
    );
    expect(s.count()).toBe(0);
    await s.importsUsualFile();
  }, 60_000);

  it('leaves out a reading whose identity is longer than any export writes, and cuts an over-long device name', async () => {
    const s = await shift();
    const dir = tempDir('vd-hostile-long-');
    const lines = libreViewCsv({ readings: 3 }).split('\n');
    // A serial number of 100 kB makes the reading's identity that long; a device name of 100 kB is cut.
    lines[2] = lines[2]!.replace('MXGT123-4567', 'S'.repeat(100_000));
    lines[3] = lines[3]!.replace('FreeStyle Libre 2', `MARKER-DEVICE ${'D'.repeat(100_000)}`);
    const file = path.join(dir, 'libre.csv');
    writeFileSync(file, lines.join('\n'));
    const { jobId, preview } = await s.preview(file);
    expect(preview).toMatchObject({ format: 'libreview', blocked: false, newRecords: 2 });
    expect(preview.problems).toEqual([
      {
        severity: 'warning',
        message: 'A record whose identity is longer than any export writes was left out.',
      },
    ]);
    expect((await s.importJob(jobId)).result.added).toBe(2);
    const devices = s.core
      .db!.prepare(
        'SELECT length(device) FROM home_observations WHERE patient_id = ? ORDER BY effective_start',
      )
      .pluck()
      .all(s.patient.id);
    expect(devices).toEqual([512, 'FreeStyle Libre 2 MXGT123-4567'.length]);
    expect(s.logs()).not.toMatch(new RegExp(MARKERS.join('|')));
  }, 60_000);

  it('imports an export built to mislead only as plain text and values a person can have', async () => {
    const s = await shift();
    const dir = tempDir('vd-hostile-text-');
    const at = (day: number): string => `2026-03-0${day} 08:00:00 +0100`;
    const record = (
      type: string,
      unit: string,
      value: string,
      day: number,
      source: string,
      device = '',
    ): string =>
      ` <Record type="HKQuantityTypeIdentifier${type}" sourceName="${source}" unit="${unit}"${device ? ` device="${device}"` : ''} startDate="${at(day)}" endDate="${at(day)}" value="${value}"/>\n`;
    const formula = `=cmd|' /C calc'!A0`;
    const body = [
      // Two step counts of 1e308 add up to Infinity for the day's total.
      record('StepCount', 'count', '1e308', 1, 'Phone'),
      record('StepCount', 'count', '1e308', 1, 'Phone'),
      // A name with a NUL, an escape sequence and a right-to-left override that would reverse its text.
      record(
        'HeartRate',
        'count/min',
        '72',
        2,
        'MARKER-SOURCE&#x202E;hctaW&#x202C;',
        'MARKER-DEVICE&#27;[2J',
      ),
      // A NUL in the first 64 kB makes the file binary; past them, it reaches a name.
      ` <!-- ${'padding '.repeat(9000)} -->\n`,
      record('HeartRate', 'count/min', '73', 3, 'Watch\u0000X'),
      // A formula as a name: stored, shown and sent as the text it is.
      record('HeartRate', 'count/min', '74', 4, formula, '@SUM(1+1)'),
      // Dated in 2199, it would stay the "latest" heart rate for ever.
      record('HeartRate', 'count/min', '75', 6, 'Watch').replaceAll('2026-03-06', '2199-03-06'),
      record('HeartRate', 'count/min', '0x48', 5, 'Watch'),
    ].join('');
    const xml = path.join(dir, 'export.xml');
    writeFileSync(xml, appleHealthXml(body));
    const misleading = await s.preview(xml);
    expect(misleading.preview.newRecords).toBe(3);
    expect(misleading.preview.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        'A record with a value no person can have (or not a number) was left out.',
        'A record dated in the future was left out (the device’s clock may be wrong).',
        expect.stringMatching(/heart rate record with an unreadable value or date/),
      ]),
    );
    // An unreadable value is an error: the nurse sees it and nothing is stored.
    expect(misleading.preview.blocked).toBe(true);
    await expect(s.importJob(misleading.jobId)).rejects.toThrow(/VALIDATION/);
    expect(s.count()).toBe(0);

    // Without the hex value, the rest imports: names as plain text, the impossible total left out.
    writeFileSync(xml, appleHealthXml(body.split('\n').slice(0, -2).join('\n') + '\n'));
    const { jobId, preview } = await s.preview(xml);
    expect(preview).toMatchObject({ blocked: false, newRecords: 3 });
    expect((await s.importJob(jobId)).result.added).toBe(3);
    const stored = s.core
      .db!.prepare(
        'SELECT measure, value, source_name AS sourceName, device FROM home_observations WHERE patient_id = ? ORDER BY effective_start',
      )
      .all(s.patient.id) as { measure: string; value: number; sourceName: string; device: string | null }[];
    expect(stored).toEqual([
      { measure: 'heartRate', value: 72, sourceName: 'MARKER-SOURCE hctaW', device: 'MARKER-DEVICE [2J' },
      { measure: 'heartRate', value: 73, sourceName: 'Watch X', device: null },
      { measure: 'heartRate', value: 74, sourceName: formula, device: '@SUM(1+1)' },
    ]);
    // The FHIR server gets the formula as a JSON string, the review screen as text.
    const bundle = buildHomeBundle(homeSyncSource(s.core.db!).after(0, 100));
    const notes = bundle.entry?.flatMap((e) =>
      e.resource?.resourceType === 'Observation' ? (e.resource.note ?? []).map((n) => n.text) : [],
    );
    expect(notes).toContain(`Patient-generated, from ${formula} · @SUM(1+1) (apple-health export)`);
    const review = await call<{ observations: { sourceName?: string; device?: string }[] }>(
      s.core,
      'nurse-window',
      'homeData.forPatient',
      { patientId: s.patient.id, from: '2026-02-01T00:00:00Z', to: '2026-04-01T00:00:00Z' },
    );
    expect(review.observations.map((o) => o.sourceName)).toContain(formula);
    // The app logged this shift (sign-in, imports): none of it quotes the file.
    expect(s.logs()).not.toBe('');
    expect(s.logs()).not.toMatch(new RegExp(MARKERS.join('|')));
  }, 60_000);
});
