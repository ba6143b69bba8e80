import { afterAll, describe, expect, it } from 'vitest';
import { readAppleHealth } from '../../../main/import/formats/apple-health/reader';
import {
  HealthXmlScanner,
  XmlError,
  type Attributes,
  type ScannerHandler,
} from '../../../main/import/formats/apple-health/xml-scanner';
import { detectHomeImportFormat } from '../../../main/import/detect';
import { appleHealthXml, appleHealthZip, writeAppleHealthXml } from '../../sim/home-data/apple-health';
import { zipBytes } from '../../sim/home-data/zip-writer';
import { collect, tempDir } from './collect';

const tmp = tempDir();
afterAll(() => tmp.remove());

const DEVICE =
  '&lt;&lt;HKDevice: 0x283fd0e10&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.1&gt;';

function rec(
  type: string,
  unit: string,
  value: string,
  start: string,
  end = start,
  source = 'Jane’s Apple Watch',
  device = DEVICE,
): string {
  return ` <Record type="${type}" sourceName="${source}" sourceVersion="10.1" device="${device}" unit="${unit}" creationDate="${end}" startDate="${start}" endDate="${end}" value="${value}"/>\n`;
}
const Q = 'HKQuantityTypeIdentifier';

function bloodPressure(start: string, sys: string, dia: string, unit = 'mmHg'): string {
  const members =
    rec(`${Q}BloodPressureSystolic`, unit, sys, start, start, 'Omron') +
    rec(`${Q}BloodPressureDiastolic`, unit, dia, start, start, 'Omron');
  return `${members} <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Omron" sourceVersion="1" creationDate="${start}" startDate="${start}" endDate="${start}">\n  <MetadataEntry key="HKWasUserEntered" value="0"/>\n${members} </Correlation>\n`;
}

describe('Apple Health export.xml', () => {
  it('reads each vital in its own unit into the canonical one, with source and device, blood pressure once', async () => {
    const xml = appleHealthXml(
      rec(`${Q}HeartRate`, 'count/min', '72', '2026-03-01 08:00:00 +0100') +
        rec(
          `${Q}RestingHeartRate`,
          'count/min',
          '58',
          '2026-03-01 00:00:00 +0100',
          '2026-03-01 23:59:59 +0100',
        ) +
        rec(`${Q}OxygenSaturation`, '%', '0.97', '2026-03-01 08:01:00 +0100') +
        rec(`${Q}RespiratoryRate`, 'count/min', '15.5', '2026-03-01 08:02:00 +0100') +
        rec(`${Q}BodyTemperature`, 'degF', '98.6', '2026-03-01 08:03:00 +0100') +
        rec(`${Q}BodyMass`, 'lb', '154', '2026-03-01 08:04:00 +0100', undefined, 'Withings &amp; Co') +
        rec(`${Q}Height`, 'ft', '5.5', '2026-03-01 08:05:00 +0100') +
        rec(`${Q}BloodGlucose`, 'mmol&lt;180.1558800000541&gt;/L', '5.5', '2026-03-01 08:06:00 +0100') +
        rec(`${Q}BloodGlucose`, 'mg/dL', '101', '2026-03-01 08:07:00 +0100') +
        rec(`${Q}ActiveEnergyBurned`, 'kcal', '12.5', '2026-03-01 08:08:00 +0100') +
        bloodPressure('2026-03-01 08:10:00 +0100', '128', '82'),
    );
    const { records, problems, subjects } = await collect(readAppleHealth, tmp.file('export.xml', xml));
    expect(problems).toEqual([]);
    expect(subjects).toEqual([{ birthDate: '1961-04-12', sex: 'female' }]);
    const byMeasure = Object.fromEntries(records.map((r) => [r.measure, r]));
    expect(records.map((r) => [r.measure, r.value, r.effectiveStart])).toEqual([
      ['heartRate', 72, '2026-03-01T07:00:00.000Z'],
      ['restingHeartRate', 58, '2026-02-29T23:00:00.000Z'.replace('02-29', '02-28')],
      ['spo2', 97, '2026-03-01T07:01:00.000Z'],
      ['respiratoryRate', 15.5, '2026-03-01T07:02:00.000Z'],
      ['bodyTemperature', 37, '2026-03-01T07:03:00.000Z'],
      ['bodyWeight', 69.853, '2026-03-01T07:04:00.000Z'],
      ['bodyHeight', 167.64, '2026-03-01T07:05:00.000Z'],
      // Apple's unit carries the molar mass it used: 5.5 mmol/L × 180.15588 g/mol ÷ 10.
      ['glucose', 99.1, '2026-03-01T07:06:00.000Z'],
      ['glucose', 101, '2026-03-01T07:07:00.000Z'],
      ['bloodPressure', 128, '2026-03-01T07:10:00.000Z'],
    ]);
    expect(byMeasure.bloodPressure?.diastolic).toBe(82);
    expect(byMeasure.bloodPressure?.sourceName).toBe('Omron');
    expect(byMeasure.restingHeartRate?.effectiveEnd).toBe('2026-03-01T22:59:59.000Z');
    expect(byMeasure.heartRate?.sourceName).toBe('Jane’s Apple Watch');
    expect(byMeasure.heartRate?.device).toBe(
      'name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.1',
    );
    expect(byMeasure.bodyWeight?.sourceName).toBe('Withings & Co');
  });

  it('sums steps per local day keeping the source with most, and sleep per night counting asleep only', async () => {
    const S = `${Q}StepCount`;
    const sleep = (value: string, start: string, end: string): string =>
      ` <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" startDate="${start}" endDate="${end}" value="HKCategoryValueSleepAnalysis${value}"/>\n`;
    const xml = appleHealthXml(
      rec(S, 'count', '1000', '2026-03-01 09:00:00 +0100', '2026-03-01 09:10:00 +0100', 'Phone') +
        rec(S, 'count', '500', '2026-03-01 23:50:00 +0100', '2026-03-01 23:59:00 +0100', 'Phone') +
        rec(S, 'count', '900', '2026-03-01 09:00:00 +0100', '2026-03-01 09:10:00 +0100', 'Watch') +
        rec(S, 'count', '42', '2026-03-02 00:05:00 +0100', '2026-03-02 00:10:00 +0100', 'Phone') +
        sleep('InBed', '2026-03-01 22:30:00 +0100', '2026-03-02 07:00:00 +0100') +
        sleep('AsleepCore', '2026-03-01 23:00:00 +0100', '2026-03-02 02:00:00 +0100') +
        sleep('Awake', '2026-03-02 02:00:00 +0100', '2026-03-02 02:30:00 +0100') +
        sleep('AsleepDeep', '2026-03-02 02:30:00 +0100', '2026-03-02 03:15:00 +0100') +
        sleep('AsleepREM', '2026-03-02 05:00:00 +0100', '2026-03-02 06:30:00 +0100'),
    );
    const { records, problems } = await collect(readAppleHealth, tmp.file('steps.xml', xml));
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        sourceRecordId: expect.stringMatching(/^apple-health:steps:2026-03-01:[\w-]{32}$/) as string,
        series: 'apple-health:steps:2026-03-01',
        measure: 'steps',
        effectiveStart: '2026-02-28T23:00:00.000Z',
        effectiveEnd: '2026-03-01T23:00:00.000Z',
        value: 1500,
        sourceName: 'Phone',
      },
      {
        sourceRecordId: expect.stringMatching(/^apple-health:steps:2026-03-02:[\w-]{32}$/) as string,
        series: 'apple-health:steps:2026-03-02',
        measure: 'steps',
        effectiveStart: '2026-03-01T23:00:00.000Z',
        effectiveEnd: '2026-03-02T23:00:00.000Z',
        value: 42,
        sourceName: 'Phone',
      },
      {
        sourceRecordId: expect.stringMatching(/^apple-health:sleep:2026-03-01:[\w-]{32}$/) as string,
        series: 'apple-health:sleep:2026-03-01',
        measure: 'sleep',
        effectiveStart: '2026-03-01T22:00:00.000Z',
        effectiveEnd: '2026-03-02T05:30:00.000Z',
        value: 5.25,
        sourceName: 'Watch',
      },
    ]);
  });

  it('reports a unit it does not know with its line and imports no guessed value', async () => {
    const xml = appleHealthXml(
      rec(`${Q}HeartRate`, 'count/s', '1.2', '2026-03-01 08:00:00 +0100') +
        rec(`${Q}BodyMass`, 'kg', '70', '2026-03-01 08:00:00 +0100'),
    );
    const { records, problems } = await collect(readAppleHealth, tmp.file('unit.xml', xml));
    expect(records.map((r) => r.measure)).toEqual(['bodyWeight']);
    const line = xml.split('\n').findIndex((l) => l.includes('count/s')) + 1;
    expect(problems).toEqual([
      {
        severity: 'error',
        at: line,
        message: `Line ${line}: heart rate in the unit "count/s", which this app does not know; not imported.`,
      },
    ]);
  });

  it('gives a record the same identity in a later, larger export, whatever the order', async () => {
    const hr = rec(`${Q}HeartRate`, 'count/min', '72', '2026-03-01 08:00:00 +0100');
    const spo2 = rec(`${Q}OxygenSaturation`, '%', '0.95', '2026-03-01 08:00:00 +0100');
    const first = await collect(readAppleHealth, tmp.file('first.xml', appleHealthXml(hr + spo2)));
    const later = await collect(
      readAppleHealth,
      tmp.file(
        'later.xml',
        appleHealthXml(
          spo2 +
            rec(`${Q}HeartRate`, 'count/min', '80', '2026-03-02 08:00:00 +0100') +
            hr.replace('0x283fd0e10', '0x1111aaaa'),
        ),
      ),
    );
    const ids = (c: typeof first): string[] => c.records.map((r) => r.sourceRecordId).sort();
    expect(ids(later)).toEqual(expect.arrayContaining(ids(first)));
    expect(new Set(ids(later)).size).toBe(3);
  });

  it.each([
    [
      'a file cut short',
      (x: string) => x.slice(0, x.indexOf('<Record') + 200),
      /cut short|ends inside a tag/,
    ],
    [
      'an unterminated tag',
      (x: string) => x.replace('value="72"/>', 'value="72"\n'),
      /broken attribute|run together/,
    ],
    [
      'garbage between records',
      (x: string) => x.replace('</HealthData>', 'garbage</HealthData>'),
      /Text where only tags belong/,
    ],
    [
      'mismatched closing tags',
      (x: string) => x.replace('</HealthData>', '</Correlation></HealthData>'),
      /with nothing open|is closed by/,
    ],
    ['an unclosed quote', (x: string) => x.replace('unit="count/min"', 'unit="count/min'), /attribute/i],
  ])('refuses %s with the line of the fault', async (_name, damage, message) => {
    const good = appleHealthXml(rec(`${Q}HeartRate`, 'count/min', '72', '2026-03-01 08:00:00 +0100'));
    const { problems } = await collect(readAppleHealth, tmp.file('bad.xml', damage(good)));
    expect(problems.at(-1)).toMatchObject({ severity: 'error', message: expect.stringMatching(message) });
    expect(problems.at(-1)?.at).toBeGreaterThan(0);
    expect(problems.at(-1)?.message).toMatch(/^The export is not well-formed at line \d+/);
  });

  it('says an XML file of another kind is not an Apple Health export', async () => {
    const file = tmp.file(
      'other.xml',
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>\n',
    );
    const { records, problems } = await collect(readAppleHealth, file);
    expect(records).toEqual([]);
    expect(problems).toEqual([
      {
        severity: 'error',
        message: 'This XML file is not an Apple Health export (it holds <svg>, not <HealthData>).',
      },
    ]);
    expect(await detectHomeImportFormat(file)).toEqual({
      unknown: 'an XML file that is not an Apple Health export',
    });
  });

  it('reports an undeclared entity in a value it reads', async () => {
    const xml = appleHealthXml(
      rec(`${Q}HeartRate`, 'count/min', '72', '2026-03-01 08:00:00 +0100', undefined, 'Jane&nbsp;Watch'),
    );
    const { records, problems } = await collect(readAppleHealth, tmp.file('entity.xml', xml));
    expect(records).toEqual([]);
    expect(problems[0]?.message).toMatch(/unknown "&" entity/);
  });

  it('scans the same however the file is cut into chunks', () => {
    const xml = appleHealthXml(
      rec(`${Q}HeartRate`, 'count/min', '72', '2026-03-01 08:00:00 +0100') +
        bloodPressure('2026-03-01 08:10:00 +0100', '128', '82') +
        '<!-- a comment -->\n',
    );
    const run = (size: number): string[] => {
      const seen: string[] = [];
      const handler: ScannerHandler = {
        root: (name) => seen.push(`root ${name}`),
        start: (name: string, a: Attributes | undefined, selfClosing: boolean, line: () => number) =>
          seen.push(`${name} ${a?.type ?? '-'} ${a?.value ?? '-'} ${selfClosing} ${line()}`),
        end: (name) => seen.push(`/${name}`),
      };
      const scanner = new HealthXmlScanner(handler, {
        elements: new Set(['HealthData', 'Me', 'Record', 'Correlation']),
        recordTypes: new Set([`${Q}HeartRate`, `${Q}BloodPressureSystolic`]),
      });
      for (let i = 0; i < xml.length; i += size) scanner.push(xml.slice(i, i + size));
      scanner.end();
      return seen;
    };
    const whole = run(xml.length);
    const correlation = xml.split('\n').findIndex((l) => l.includes('<Correlation')) + 1;
    expect(whole.slice(-5)).toEqual([
      `Correlation HKCorrelationTypeIdentifierBloodPressure - false ${correlation}`,
      // The member after the correlation's MetadataEntry; the diastolic is a type not asked for.
      `Record ${Q}BloodPressureSystolic 128 true ${correlation + 2}`,
      `Record - - true ${correlation + 3}`,
      '/Correlation',
      '/HealthData',
    ]);
    for (const size of [1, 2, 7, 64]) expect(run(size)).toEqual(whole);
  });

  it('keeps memory bounded: a tag that never ends is refused', () => {
    const scanner = new HealthXmlScanner(
      { root: () => undefined, start: () => undefined, end: () => undefined },
      { elements: new Set(), recordTypes: new Set() },
    );
    scanner.push('<HealthData><Record type="');
    const endless = 'x'.repeat(1024 * 1024);
    expect(() => {
      for (let i = 0; i < 8; i++) scanner.push(endless);
    }).toThrow(XmlError);
  });

  it('stops when the import is cancelled', async () => {
    const file = tmp.file('big.xml', '');
    await writeAppleHealthXml(file, { records: 20_000 });
    const controller = new AbortController();
    let seen = 0;
    const run = async (): Promise<void> => {
      for await (const event of readAppleHealth({ path: file, maxBytes: 1e9, signal: controller.signal })) {
        if (event.type === 'progress' && ++seen === 1) controller.abort(new Error('cancelled by the nurse'));
      }
    };
    await expect(run()).rejects.toThrow('cancelled by the nurse');
  });

  it('reads a generated export: every vital record, steps per day, and a subject', async () => {
    const file = tmp.file('gen.xml', '');
    const summary = await writeAppleHealthXml(file, { records: 20_000, seed: 5 });
    const { records, problems, subjects } = await collect(readAppleHealth, file);
    expect(problems).toEqual([]);
    expect(subjects).toHaveLength(1);
    const count = (m: string): number => records.filter((r) => r.measure === m).length;
    expect(count('heartRate')).toBe(summary.counts.heartRate);
    expect(count('bloodPressure')).toBe(summary.counts.bloodPressure);
    expect(count('glucose')).toBe(summary.counts.glucose);
    expect(count('steps')).toBeGreaterThan(600);
    expect(new Set(records.map((r) => r.sourceRecordId)).size).toBe(records.length);
  });
});

describe('Apple Health export.zip', () => {
  const xml = appleHealthXml(rec(`${Q}HeartRate`, 'count/min', '72', '2026-03-01 08:00:00 +0100'));

  it('reads apple_health_export/export.xml out of the zip, and is detected by content', async () => {
    const file = tmp.file('export.zip', appleHealthZip(xml));
    const { records, problems, progress } = await collect(readAppleHealth, file);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.value)).toEqual([72]);
    expect(progress.at(-1)).toEqual({
      type: 'progress',
      bytesRead: Buffer.byteLength(xml),
      bytesTotal: Buffer.byteLength(xml),
    });
    expect(await detectHomeImportFormat(tmp.file('renamed.bin', appleHealthZip(xml)))).toBe('apple-health');
  });

  it.each([
    ['../../etc/passwd', /climbs out of its folder/],
    ['/etc/cron.d/evil', /absolute member path/],
    ['apple_health_export\\..\\evil.xml', /backslash/],
    ['C:/Windows/evil.xml', /drive letter/],
  ])('refuses the whole archive when a member is named %s', async (name, message) => {
    const file = tmp.file('traversal.zip', appleHealthZip(xml, [{ name, data: 'x' }]));
    const { records, problems } = await collect(readAppleHealth, file);
    expect(records).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(message) }),
    ]);
    expect(problems[0]?.message).toMatch(/^This zip file is refused/);
  });

  it('refuses a member that inflates to more than it declares (a zip bomb) and imports nothing of it', async () => {
    const bomb = appleHealthXml(
      rec(`${Q}HeartRate`, 'count/min', '72', '2026-03-01 08:00:00 +0100').repeat(2000),
    );
    const file = tmp.file(
      'bomb.zip',
      zipBytes([{ name: 'apple_health_export/export.xml', data: bomb, declaredSize: 4096 }]),
    );
    const { problems } = await collect(readAppleHealth, file);
    expect(problems.at(-1)?.message).toMatch(/unpacks to more than it declares/);
  });

  it('refuses a member whose declared compression ratio no export has', async () => {
    const zeros = Buffer.alloc(10 * 1024 * 1024, 0x20);
    const file = tmp.file('ratio.zip', zipBytes([{ name: 'apple_health_export/export.xml', data: zeros }]));
    const { problems } = await collect(readAppleHealth, file);
    expect(problems).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/compression ratio no real export has/) }),
    ]);
  });

  it('refuses a member that unpacks to more than the policy allows, and a zip itself over it', async () => {
    // An export without ECG files: export.xml is the member over the limit.
    const file = tmp.file('large.zip', appleHealthZip(xml, [], []));
    const tooSmall = Buffer.byteLength(xml) - 1;
    // The zip itself is within the limit; what it unpacks to is not.
    expect(appleHealthZip(xml, [], []).length).toBeLessThan(tooSmall);
    const inflated = await collect(readAppleHealth, file, tooSmall);
    expect(inflated.problems[0]?.message).toMatch(/unpacks to .* over the .* this workstation accepts/);
    const whole = await collect(readAppleHealth, file, 100);
    expect(whole.problems[0]?.message).toMatch(/^The file is .* over the/);
  });

  it('refuses a member whose checksum does not match, and a zip with no export.xml', async () => {
    const crc = tmp.file(
      'crc.zip',
      zipBytes([{ name: 'apple_health_export/export.xml', data: xml, crc: 1234 }]),
    );
    expect((await collect(readAppleHealth, crc)).problems.at(-1)?.message).toMatch(/checksum does not match/);
    const none = tmp.file('none.zip', zipBytes([{ name: 'photos/cat.jpg', data: 'x' }]));
    expect((await collect(readAppleHealth, none)).problems[0]?.message).toBe(
      'This zip holds no Apple Health export.xml.',
    );
    expect(await detectHomeImportFormat(none)).toEqual({
      unknown: 'a zip that holds no Apple Health export.xml',
    });
  });

  it('refuses a damaged zip cut short', async () => {
    const bytes = appleHealthZip(xml);
    const file = tmp.file('cut.zip', bytes.subarray(0, bytes.length - 30));
    expect((await collect(readAppleHealth, file)).problems[0]?.message).toMatch(
      /^This zip file is refused: /,
    );
  });
});
