// Spreadsheet times carry no offset: pin the workstation's zone so instants are exact.
process.env.TZ = 'Europe/Berlin';

import { afterAll, describe, expect, it } from 'vitest';
import { previewCsvLayout, readMappedCsv } from '../../../main/import/formats/mapped-csv';
import { readerFor } from '../../../main/import/detect';
import {
  csvColumnMappingSchema,
  csvLayoutKey,
  type CsvColumnMapping,
} from '../../../shared/home-data/csv-mapping';
import { HOME_LOG_HEADER, homeLogCsv } from '../../sim/home-data/mapped-csv';
import { collect, tempDir } from './collect';

const tmp = tempDir();
afterAll(() => tmp.remove());

const mapping: CsvColumnMapping = {
  layoutKey: csvLayoutKey(HOME_LOG_HEADER),
  delimiter: ';',
  columns: { time: 0, measure: 1, value: 2, unit: 3, device: 4, recordId: 5 },
  timeFormat: 'dmy',
  measureValues: {
    Blutdruck: 'bloodPressure',
    Puls: 'heartRate',
    Gewicht: 'bodyWeight',
    Temperatur: 'bodyTemperature',
  },
  sourceName: 'Home log',
};

describe('CSV read through a confirmed column mapping', () => {
  it('previews the header, its layout key and sample rows for the mapping screen', async () => {
    const file = tmp.file('log.csv', homeLogCsv({ days: 2 }));
    const preview = await previewCsvLayout({ path: file, maxBytes: 1e6 }, 3);
    expect(preview).toMatchObject({ delimiter: ';', header: HOME_LOG_HEADER, layoutKey: mapping.layoutKey });
    expect(preview.sampleRows).toHaveLength(3);
    expect(preview.sampleRows[0]?.[1]).toBe('Blutdruck');
  });

  it('reads every mapped measure: "128/82" as blood pressure, decimal commas, day-first local times', async () => {
    const file = tmp.file('log.csv', homeLogCsv({ days: 2 }));
    const { records, problems } = await collect(readMappedCsv(mapping), file);
    expect(problems).toEqual([]);
    expect(records).toHaveLength(8);
    const lines = homeLogCsv({ days: 2 }).split('\n');
    const [sys, dia] = (lines[1]?.split(';')[2] ?? '').split('/').map(Number);
    expect(records[0]).toEqual({
      sourceRecordId: `csv:${mapping.layoutKey}:1`,
      measure: 'bloodPressure',
      effectiveStart: '2026-03-01T06:30:00.000Z',
      value: sys,
      diastolic: dia,
      sourceName: 'Home log',
      device: 'Beurer BM 54',
    });
    expect(records[2]?.value).toBe(Number(lines[3]?.split(';')[2]?.replace(',', '.')));
    expect(records.map((r) => r.measure).slice(0, 4)).toEqual([
      'bloodPressure',
      'heartRate',
      'bodyWeight',
      'bodyTemperature',
    ]);
  });

  it('refuses a file whose header is not the layout the mapping was confirmed for', async () => {
    const file = tmp.file('other.csv', homeLogCsv({ days: 1 }).replace('Einheit', 'Unit'));
    const { records, problems } = await collect(readMappedCsv(mapping), file);
    expect(records).toEqual([]);
    expect(problems[0]?.message).toMatch(/not the ones the mapping was confirmed for/);
  });

  it('names the line of a row with an unmapped measure, an unknown unit or a bad time', async () => {
    const text = [
      HOME_LOG_HEADER.join(';'),
      '01.03.2026 07:31;Puls;70;bpm;;1',
      '01.03.2026 07:32;Zucker;5,5;mmol/L;;2',
      '01.03.2026 07:33;Puls;70;Hz;;3',
      '31.02.2026 07:34;Puls;70;bpm;;4',
    ].join('\n');
    const { records, problems } = await collect(readMappedCsv(mapping), tmp.file('bad.csv', text));
    expect(records).toHaveLength(1);
    expect(problems.map((p) => p.message)).toEqual([
      'Line 3: the measure "Zucker" is not mapped.',
      'Line 4: the unit "Hz" is not one this app knows for heartRate.',
      'Line 5: unreadable time "31.02.2026 07:34".',
    ]);
  });

  it('says a CSV needs a mapping when none (or an invalid one) is given', async () => {
    const file = tmp.file('log.csv', homeLogCsv({ days: 1 }));
    const none = await collect(readerFor('mapped-csv'), file);
    expect(none.problems[0]?.message).toMatch(/needs its columns mapped/);
    const invalid = await collect(readMappedCsv({ ...mapping, layoutKey: 'not-a-key' }), file);
    expect(invalid.records).toEqual([]);
    expect(invalid.problems[0]?.message).toMatch(/needs its columns mapped/);
  });

  it('has a mapping schema that refuses a mapping with neither a measure nor a measure column', () => {
    const { measureValues: _m, ...rest } = mapping;
    const noMeasure = { ...rest, columns: { time: 0, value: 2 } };
    expect(csvColumnMappingSchema.safeParse(noMeasure).success).toBe(false);
    expect(
      csvColumnMappingSchema.safeParse({ ...noMeasure, measure: 'heartRate', unit: 'bpm' }).success,
    ).toBe(true);
  });

  it('keys a layout by its header cells, not their case or spacing', () => {
    expect(csvLayoutKey([' Datum', 'WERT '])).toBe(csvLayoutKey(['datum', 'wert']));
    expect(csvLayoutKey(['Datum', 'Wert'])).not.toBe(csvLayoutKey(['Wert', 'Datum']));
    expect(csvLayoutKey(['a'])).toMatch(/^[0-9a-f]{16}$/);
  });
});
