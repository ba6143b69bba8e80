// Wall-clock times of CGM exports are read in the workstation's zone: pin one so instants are exact.
process.env.TZ = 'Europe/Paris';

import { afterAll, describe, expect, it } from 'vitest';
import { readDexcomClarity } from '../../../main/import/formats/dexcom-clarity';
import { readLibreView, parseLibreViewTime } from '../../../main/import/formats/libreview';
import { detectHomeImportFormat } from '../../../main/import/detect';
import { dexcomClarityCsv, libreViewCsv, DEXCOM_HEADER } from '../../sim/home-data/cgm';
import { collect, tempDir } from './collect';

const tmp = tempDir();
afterAll(() => tmp.remove());

const clarity = (rows: string[], header = DEXCOM_HEADER.join(',')): string => [header, ...rows].join('\n');
const egv = (index: number, time: string, value: string, transmitterTime = String(1000 + index)): string =>
  [index, time, 'EGV', '', '', '', 'android G6', value, '', '', '', '', transmitterTime, '8AM1EY'].join(',');

describe('Dexcom Clarity CSV', () => {
  it('reads EGV rows as glucose in mg/dL at their local time, with the transmitter as identity', async () => {
    const file = tmp.file(
      'clarity.csv',
      clarity([
        '1,,FirstName,,Jane,,,,,,,,,',
        '2,,Device,,,Dexcom G6 Mobile App,android G6,,,,,,,',
        egv(3, '2026-01-15T08:30:00', '112'),
        '4,2026-01-15T08:31:00,Carbs,,,,android G6,,,45,,,,',
        egv(5, '2026-07-15T08:35:00', '118'),
      ]),
    );
    const { records, problems } = await collect(readDexcomClarity, file);
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        sourceRecordId: 'dexcom:8AM1EY:1003',
        measure: 'glucose',
        effectiveStart: '2026-01-15T07:30:00.000Z',
        value: 112,
        sourceName: 'Dexcom Clarity',
        device: 'android G6, transmitter 8AM1EY',
      },
      {
        sourceRecordId: 'dexcom:8AM1EY:1005',
        measure: 'glucose',
        // Summer time in Paris: two hours ahead of UTC.
        effectiveStart: '2026-07-15T06:35:00.000Z',
        value: 118,
        sourceName: 'Dexcom Clarity',
        device: 'android G6, transmitter 8AM1EY',
      },
    ]);
  });

  it('marks "Low" and "High" as beyond the sensor range at its limits', async () => {
    const file = tmp.file(
      'lowhigh.csv',
      clarity([egv(1, '2026-01-15T03:00:00', 'Low'), egv(2, '2026-01-15T15:00:00', 'High')]),
    );
    const { records } = await collect(readDexcomClarity, file);
    expect(records.map((r) => [r.value, r.beyondRange])).toEqual([
      [40, 'below'],
      [400, 'above'],
    ]);
  });

  it('converts an mmol/L export to mg/dL as its header says', async () => {
    const header = DEXCOM_HEADER.join(',').replace('Glucose Value (mg/dL)', 'Glucose Value (mmol/L)');
    const file = tmp.file('mmol.csv', clarity([egv(1, '2026-01-15T08:30:00', '5.6')], header));
    const { records } = await collect(readDexcomClarity, file);
    expect(records[0]?.value).toBe(100.9);
  });

  it('refuses a glucose column in a unit it does not know, importing nothing', async () => {
    const header = DEXCOM_HEADER.join(',').replace('Glucose Value (mg/dL)', 'Glucose Value (mg%)');
    const file = tmp.file('unit.csv', clarity([egv(1, '2026-01-15T08:30:00', '100')], header));
    const { records, problems } = await collect(readDexcomClarity, file);
    expect(records).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('"Glucose Value (mg%)"'),
      }),
    ]);
  });

  it('names the line of each unreadable row and keeps the others', async () => {
    const file = tmp.file(
      'bad.csv',
      clarity([
        egv(1, '2026-01-15T08:30:00', '112'),
        egv(2, '2026-02-30T08:35:00', '113'),
        egv(3, '2026-01-15T08:40:00', 'abc'),
        egv(4, '2026-01-15T08:45:00', '120'),
      ]),
    );
    const { records, problems } = await collect(readDexcomClarity, file);
    expect(records.map((r) => r.value)).toEqual([112, 120]);
    expect(problems.map((p) => p.at)).toEqual([3, 4]);
    expect(problems[0]?.message).toContain('"2026-02-30T08:35:00"');
    expect(problems[1]?.message).toContain('"abc"');
  });

  it('reads a generated day of 5-minute readings: 288, identities unique, the same ids on a second read', async () => {
    const file = tmp.file('day.csv', dexcomClarityCsv({ days: 1, seed: 7 }));
    const first = await collect(readDexcomClarity, file);
    const second = await collect(readDexcomClarity, file);
    expect(first.records).toHaveLength(288);
    expect(new Set(first.records.map((r) => r.sourceRecordId)).size).toBe(288);
    expect(second.records.map((r) => r.sourceRecordId)).toEqual(first.records.map((r) => r.sourceRecordId));
    expect(first.progress.at(-1)?.bytesRead).toBe(first.progress.at(-1)?.bytesTotal);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const file = tmp.file('big.csv', dexcomClarityCsv({ days: 1 }));
    const { records, problems } = await collect(readDexcomClarity, file, 1000);
    expect(records).toEqual([]);
    expect(problems[0]?.message).toMatch(/over the 1 kB this workstation accepts/);
  });

  it('says a file of another kind is not a Clarity export', async () => {
    const file = tmp.file('other.csv', 'Date,Weight\n2026-01-01,80\n');
    const { records, problems } = await collect(readDexcomClarity, file);
    expect(records).toEqual([]);
    expect(problems[0]?.message).toMatch(/not a Dexcom Clarity export/);
  });
});

describe('LibreView CSV', () => {
  it('reads historic, scan and strip readings; skips insulin and notes; marks the sensor limits', async () => {
    const file = tmp.file(
      'libre.csv',
      [
        'Glucose Data,Generated on,01-12-2026 10:00 UTC,Generated by,Jane Doe',
        'Device,Serial Number,Device Timestamp,Record Type,Historic Glucose mg/dL,Scan Glucose mg/dL,Non-numeric Rapid-Acting Insulin,Rapid-Acting Insulin (units),Notes,Strip Glucose mg/dL,Ketone mmol/L',
        'FreeStyle Libre 2,ABC123,15-01-2026 08:00,0,95,,,,,,',
        'FreeStyle Libre 2,ABC123,15-01-2026 08:02,1,,101,,,,,',
        'FreeStyle Libre 2,ABC123,15-01-2026 08:05,4,,,,4,,,',
        'FreeStyle Libre 2,ABC123,15-01-2026 08:06,6,,,,,"a note, with\na line break",,',
        'FreeStyle Libre 2,ABC123,15-01-2026 08:10,2,,,,,,130,',
        'FreeStyle Libre 2,ABC123,15-01-2026 08:15,0,40,,,,,,',
        'FreeStyle Libre 2,ABC123,15-01-2026 08:30,0,HI,,,,,,',
      ].join('\r\n'),
    );
    const { records, problems } = await collect(readLibreView, file);
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.effectiveStart, r.value, r.beyondRange ?? null, r.sourceRecordId])).toEqual([
      ['2026-01-15T07:00:00.000Z', 95, null, 'libreview:ABC123:0:2026-01-15T07:00:00.000Z'],
      ['2026-01-15T07:02:00.000Z', 101, null, 'libreview:ABC123:1:2026-01-15T07:02:00.000Z'],
      ['2026-01-15T07:10:00.000Z', 130, null, 'libreview:ABC123:2:2026-01-15T07:10:00.000Z'],
      ['2026-01-15T07:15:00.000Z', 40, 'below', 'libreview:ABC123:0:2026-01-15T07:15:00.000Z'],
      ['2026-01-15T07:30:00.000Z', 500, 'above', 'libreview:ABC123:0:2026-01-15T07:30:00.000Z'],
    ]);
    expect(records[0]?.device).toBe('FreeStyle Libre 2 ABC123');
  });

  it('reads US dates with a 12-hour clock month first, and others day first', () => {
    expect(parseLibreViewTime('01-02-2026 01:15 PM')).toMatchObject({
      month: 1,
      day: 2,
      hour: 13,
      minute: 15,
    });
    expect(parseLibreViewTime('01-02-2026 12:05 AM')).toMatchObject({ month: 1, day: 2, hour: 0 });
    expect(parseLibreViewTime('01/02/2026 13:15')).toMatchObject({ month: 2, day: 1, hour: 13 });
    expect(parseLibreViewTime('13-02-2026 25:00')).toMatchObject({ hour: 25 });
  });

  it('reads a generated mmol/L export at 15-minute intervals in mg/dL', async () => {
    const file = tmp.file('libre-mmol.csv', libreViewCsv({ days: 2, unit: 'mmol/L', seed: 3 }));
    const { records, problems } = await collect(readLibreView, file);
    expect(problems).toEqual([]);
    const historic = records.filter((r) => r.sourceRecordId.includes(':0:'));
    expect(historic).toHaveLength(192);
    const steps = historic
      .slice(1)
      .map((r, i) => Date.parse(r.effectiveStart) - Date.parse(historic[i]!.effectiveStart));
    expect(new Set(steps)).toEqual(new Set([15 * 60_000]));
    for (const r of records) expect(r.value).toBeGreaterThanOrEqual(39);
  });

  it('reports a row with an impossible date by its line, and a unit it does not know as an error', async () => {
    const bad = tmp.file(
      'libre-bad.csv',
      [
        'Glucose Data',
        'Device,Serial Number,Device Timestamp,Record Type,Historic Glucose mg/dL',
        'FreeStyle Libre 2,A,31-02-2026 08:00,0,95',
        'FreeStyle Libre 2,A,01-02-2026 08:00,0,96',
      ].join('\n'),
    );
    const first = await collect(readLibreView, bad);
    expect(first.records.map((r) => r.value)).toEqual([96]);
    expect(first.problems).toEqual([
      expect.objectContaining({ at: 3, message: expect.stringContaining('31-02-2026') }),
    ]);
    const unit = tmp.file(
      'libre-unit.csv',
      ['Glucose Data', 'Device,Serial Number,Device Timestamp,Record Type,Historic Glucose mg'].join('\n'),
    );
    const second = await collect(readLibreView, unit);
    expect(second.problems[0]?.message).toContain('"Historic Glucose mg"');
  });
});

describe('detecting a CGM export by its content', () => {
  it('tells Clarity, LibreView and another CSV apart whatever their file names', async () => {
    expect(await detectHomeImportFormat(tmp.file('a.txt', dexcomClarityCsv({ readings: 3 })))).toBe(
      'dexcom-clarity',
    );
    expect(await detectHomeImportFormat(tmp.file('b.dat', libreViewCsv({ readings: 3 })))).toBe('libreview');
    expect(await detectHomeImportFormat(tmp.file('c.csv', 'Date;Weight\n2026-01-01;80\n'))).toBe(
      'mapped-csv',
    );
    expect(await detectHomeImportFormat(tmp.file('d.csv', ''))).toEqual({ unknown: 'an empty file' });
  });
});
