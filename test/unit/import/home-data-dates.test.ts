/**
 * Home-data times name a real day of a year a measurement can have (1900–2200): 29 February only in a
 * leap year, and never a year such as 0026, which Date would silently read as 1926. In files without a
 * zone (CSV) or in Apple's format such a time is an unreadable time, left out with the message any
 * unreadable time gets; a FHIR or Open mHealth time with its zone is left out naming the day.
 */
process.env.TZ = 'Europe/Berlin';

import { afterAll, describe, expect, it } from 'vitest';
import { appleDateMs, appleDateToIso } from '../../../main/import/formats/apple-health/dates';
import { readAppleHealth } from '../../../main/import/formats/apple-health/reader';
import { readFhirNdjson } from '../../../main/import/formats/fhir';
import { readOpenMHealth } from '../../../main/import/formats/open-mhealth';
import { zonedTimeToIso } from '../../../main/import/formats/zoned-time';
import { wallClockToIso } from '../../../main/import/formats/local-time';
import { readMappedCsv } from '../../../main/import/formats/mapped-csv';
import { csvLayoutKey, type CsvColumnMapping } from '../../../shared/home-data/csv-mapping';
import { appleHealthXml } from '../../sim/home-data/apple-health';
import { fhirObservations, openMHealthPoints } from '../../sim/home-data/standard';
import { HOME_LOG_HEADER } from '../../sim/home-data/mapped-csv';
import { collect, tempDir } from './collect';

const tmp = tempDir();
afterAll(() => tmp.remove());

const at = (year: number, month: number, day: number) => ({
  year,
  month,
  day,
  hour: 8,
  minute: 30,
  second: 0,
});

describe('wall-clock times (CGM and mapped CSVs)', () => {
  it.each([
    [2024, 2, 29, '2024-02-29T08:30:00.000Z'],
    [2000, 2, 29, '2000-02-29T08:30:00.000Z'],
    [1900, 2, 28, '1900-02-28T08:30:00.000Z'],
    [2100, 2, 28, '2100-02-28T08:30:00.000Z'],
    [2026, 4, 30, '2026-04-30T08:30:00.000Z'],
    [2200, 12, 31, '2200-12-31T08:30:00.000Z'],
  ])('%i-%i-%i is a real day', (year, month, day, iso) => {
    expect(wallClockToIso(at(year, month, day), 0)).toBe(iso);
  });

  it.each([
    [1900, 2, 29],
    [2100, 2, 29],
    [2026, 2, 29],
    [2026, 4, 31],
    [2026, 13, 1],
    [2026, 0, 1],
    [2026, 1, 0],
    // Years below 100, even on a day they have (0000 and 0004 are leap years): not a measurement.
    [0, 2, 29],
    [4, 2, 29],
    [26, 1, 15],
    [99, 12, 31],
    [1899, 12, 31],
    [2201, 1, 1],
  ])('%i-%i-%i is refused', (year, month, day) => {
    expect(wallClockToIso(at(year, month, day), 0)).toBeUndefined();
    expect(wallClockToIso(at(year, month, day))).toBeUndefined();
  });
});

describe('Apple Health times', () => {
  it.each([
    ['2024-02-29 08:30:00 +0100', '2024-02-29T07:30:00.000Z'],
    ['2000-02-29 08:30:00 +0000', '2000-02-29T08:30:00.000Z'],
    ['1900-02-28 08:30:00 +0000', '1900-02-28T08:30:00.000Z'],
    ['2100-02-28 08:30:00 -0500', '2100-02-28T13:30:00.000Z'],
    ['2026-12-31 23:59:60 +0000', '2027-01-01T00:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(appleDateToIso(text)).toBe(iso);
  });

  it.each([
    '1900-02-29 08:30:00 +0000',
    '2100-02-29 08:30:00 +0000',
    '2026-02-29 08:30:00 +0100',
    '2026-06-31 08:30:00 +0100',
    '2026-00-10 08:30:00 +0100',
    '2026-13-10 08:30:00 +0100',
    // Date.UTC reads these as 1926-01-15, 1900-03-01 and 1999-12-31: refused instead.
    '0026-01-15 08:30:00 +0100',
    '0000-02-29 08:30:00 +0100',
    '0099-12-31 08:30:00 +0100',
    '1899-12-31 08:30:00 +0100',
    '2201-01-01 08:30:00 +0100',
  ])('%s is refused', (text) => {
    expect(appleDateMs(text)).toBeNaN();
    expect(appleDateToIso(text)).toBeUndefined();
  });
});

describe('times with their zone (FHIR, Open mHealth)', () => {
  it.each([
    ['2024-02-29T08:30:00+01:00', '2024-02-29T07:30:00.000Z'],
    ['2000-02-29T08:30:00Z', '2000-02-29T08:30:00.000Z'],
    ['2100-02-28T08:30:00.250-05:00', '2100-02-28T13:30:00.250Z'],
    ['2026-03-01T08:30+01:00', '2026-03-01T07:30:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(zonedTimeToIso(text)).toEqual({ iso });
  });

  it.each([
    // Date.parse moves the first four into March or May and keeps a year such as 0026: refused here.
    '1900-02-29T08:30:00Z',
    '2026-02-29T08:30:00Z',
    '2026-02-30T08:30:00Z',
    '2026-04-31T08:30:00+02:00',
    '2026-13-01T08:30:00Z',
    '0026-01-15T08:30:00Z',
    '0000-02-29T08:30:00Z',
    '1899-12-31T08:30:00Z',
    '2201-01-01T00:00:00Z',
  ])('%s names no such day', (text) => {
    expect(zonedTimeToIso(text)).toEqual({ fault: 'no such day' });
  });

  it.each([undefined, '2026-03-01', '2026-03-01T08:30:00', '2026-3-1T08:30:00Z', 'soon'])(
    '%s is no time with a zone',
    (text) => {
      expect(zonedTimeToIso(text)).toEqual({ fault: 'no time and zone' });
    },
  );
});

describe('a file holding such a time', () => {
  it('leaves out a FHIR Observation or an Open mHealth point dated 30 February, naming it, and keeps the rest', async () => {
    const [first, second] = fhirObservations({ days: 1 });
    const fhir = await collect(
      readFhirNdjson,
      tmp.file(
        'obs.ndjson',
        [first, { ...second, effectiveDateTime: '2026-02-30T08:00:00Z' }]
          .map((o) => JSON.stringify(o))
          .join('\n'),
      ),
    );
    expect(fhir.records).toHaveLength(1);
    expect(fhir.problems.map((p) => p.message)).toEqual([
      'Line 2: an Observation at "2026-02-30T08:00:00Z", a day that does not exist or a year no measurement has.',
    ]);
    const [bp, hr] = openMHealthPoints({ days: 1 });
    const moved = JSON.parse(
      JSON.stringify(hr).replace(/"date_time":"[^"]+"/, '"date_time":"0026-10-01T08:00:00Z"'),
    ) as unknown;
    const omh = await collect(readOpenMHealth, tmp.file('omh.json', JSON.stringify([bp, moved])));
    expect(omh.records.map((r) => r.measure)).toEqual(['bloodPressure']);
    expect(omh.problems.map((p) => p.message)).toEqual([
      'Data point 2: a data point at "0026-10-01T08:00:00Z", a day that does not exist or a year no measurement has.',
    ]);
  });

  it('leaves the Apple Health record out as one with an unreadable date, and keeps the rest', async () => {
    const hr = (start: string): string =>
      ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" startDate="${start}" endDate="${start}" value="72"/>\n`;
    const xml = appleHealthXml(
      hr('2024-02-29 08:00:00 +0100') + hr('0026-01-15 08:00:00 +0100') + hr('2100-02-29 08:00:00 +0100'),
    );
    const { records, problems } = await collect(readAppleHealth, tmp.file('years.xml', xml));
    expect(records.map((r) => r.effectiveStart)).toEqual(['2024-02-29T07:00:00.000Z']);
    expect(problems.map((p) => p.message.replace(/^Line \d+: /, ''))).toEqual([
      'a heart rate record with an unreadable value or date; not imported.',
      'a heart rate record with an unreadable value or date; not imported.',
    ]);
  });

  it('names the line of a CSV row dated in year 0026 or on 29 February 2100 as an unreadable time', async () => {
    const mapping: CsvColumnMapping = {
      layoutKey: csvLayoutKey(HOME_LOG_HEADER),
      delimiter: ';',
      columns: { time: 0, measure: 1, value: 2, unit: 3, device: 4, recordId: 5 },
      timeFormat: 'dmy',
      measureValues: { Puls: 'heartRate' },
      sourceName: 'Home log',
    };
    const text = [
      HOME_LOG_HEADER.join(';'),
      '29.02.2024 07:31;Puls;70;bpm;;1',
      '15.01.0026 07:32;Puls;71;bpm;;2',
      '29.02.2100 07:33;Puls;72;bpm;;3',
    ].join('\n');
    const { records, problems } = await collect(readMappedCsv(mapping), tmp.file('years.csv', text));
    expect(records.map((r) => r.effectiveStart)).toEqual(['2024-02-29T06:31:00.000Z']);
    expect(problems.map((p) => p.message)).toEqual([
      'Line 3: unreadable time "15.01.0026 07:32".',
      'Line 4: unreadable time "29.02.2100 07:33".',
    ]);
  });
});
