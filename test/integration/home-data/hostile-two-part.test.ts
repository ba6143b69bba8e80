/**
 * A large Apple Health export is read in two parts on two threads, the later part starting at the first
 * top-level `<Record` after 40 % of the file. A file built against that split: a record hidden in a
 * comment exactly where the later part would start (only the second thread would see it as a record),
 * and a later part whose tag never ends. The real reader and the real later-part thread (from source)
 * run, with the split forced onto small files (`minBytes: 0`) as the two-part tests do.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLaterPartStart } from '../../../main/import/formats/apple-health/later-part';
import { partThreadFromSource, stageHomeFile } from '../../../main/import/pipeline';
import { APPLE_HEALTH_PROLOGUE } from '../../sim/home-data/apple-health';
import { JANE, openFixture } from '../db/fixtures';
import { tempDir } from '../db/helpers';

const TWO_PARTS = { ...partThreadFromSource()!, minBytes: 0 };
const HEAD = `${APPLE_HEALTH_PROLOGUE}<HealthData locale="en_GB">\n <ExportDate value="2026-11-30 10:00:00 +0100"/>\n`;
/** Minute `i` after 1 March 2026, as Apple writes a time. */
const minute = (i: number): string =>
  `${new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
const heartRate = (i: number, value = 60 + (i % 40)): string =>
  ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" startDate="${minute(i)}" endDate="${minute(i)}" value="${value}"/>\n`;
const records = (from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => heartRate(from + i)).join('');

async function stage(file: string, partThread: typeof TWO_PARTS | null) {
  const fx = openFixture();
  const patient = fx.patients.registerPatient(JANE);
  try {
    const staged = await stageHomeFile({ db: fx.db, patientId: patient.id, path: file, partThread });
    staged.discard();
    return staged.preview;
  } finally {
    fx.db.close();
  }
}

describe('an Apple Health export built against its two-part read', () => {
  it('never imports a record hidden in a comment where the later part starts', async () => {
    const dir = tempDir('vd-hostile-split-');
    // 500 records, a comment of about 400 kB that ends with a record, then 3,000 records: the 40 % mark
    // falls inside the comment, so the first top-level-looking record after it is the hidden one.
    const hidden = heartRate(90_000, 150);
    const text =
      HEAD +
      records(0, 500) +
      ` <!-- ${'an innocent note '.repeat(24_000)}\n${hidden} -->\n` +
      records(500, 3000) +
      '</HealthData>\n';
    const file = path.join(dir, 'export.xml');
    writeFileSync(file, text);
    const start = await findLaterPartStart(file, Buffer.byteLength(text));
    expect(start).toBe(Buffer.from(text).indexOf(hidden) + 1);

    const twoThreads = await stage(file, TWO_PARTS);
    expect(twoThreads).toMatchObject({ blocked: false, newRecords: 3500, problemCount: 0 });
    expect(twoThreads.samples.every((s) => s.value !== 150)).toBe(true);
    // As one thread reads it.
    const oneThread = await stage(file, null);
    expect(oneThread).toMatchObject({ newRecords: 3500, firstEffective: twoThreads.firstEffective });
    expect(oneThread.lastEffective).toBe(twoThreads.lastEffective);
  }, 60_000);

  it('refuses a later part whose tag never ends, at its line in the whole file', async () => {
    const dir = tempDir('vd-hostile-split-');
    // 50,000 records (about 8 MB), then a tag that never ends (5 MB): the later part starts among the
    // records, and its thread meets the endless tag.
    const endless = ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="${'x'.repeat(5 * 1024 * 1024)}`;
    const head = HEAD + records(0, 50_000);
    const file = path.join(dir, 'export.xml');
    writeFileSync(file, head + endless);
    const start = await findLaterPartStart(file, Buffer.byteLength(head + endless));
    expect(start).not.toBeNull();
    expect(start!).toBeLessThan(Buffer.byteLength(head));
    const preview = await stage(file, TWO_PARTS);
    expect(preview).toMatchObject({ blocked: true });
    expect(preview.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: `The export is not well-formed at line ${head.split('\n').length}: A tag never ends (the file is damaged or not XML).`,
      }),
    ]);
  }, 60_000);
});
