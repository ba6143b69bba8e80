import { describe, expect, it } from 'vitest';
import { csvLayoutKey } from '../../../shared/home-data/csv-mapping';
import {
  checkCsvMappingDraft,
  draftFromMapping,
  proposeCsvMappingDraft,
  timeFormatsFitting,
  type CsvLayout,
  type CsvMappingDraft,
} from '../../../shared/home-data/csv-mapping-form';
import { knownUnits } from '../../../main/import/formats/measure-units';
import { homeMeasureSchema } from '../../../shared/home-data/record';
import { CUFF_APP_HEADER, HOME_LOG_HEADER } from '../../sim/home-data/mapped-csv';

// The units main offers the form (the needs-mapping answer carries exactly this).
const UNITS = Object.fromEntries(homeMeasureSchema.options.map((m) => [m, knownUnits(m)]));

const cuff: CsvLayout = {
  delimiter: ',',
  header: CUFF_APP_HEADER,
  layoutKey: csvLayoutKey(CUFF_APP_HEADER),
  sampleRows: [
    ['2026-04-01 07:10', '132', '84', '71', ''],
    ['2026-04-01 21:05', '128', '80', '66', 'after walk'],
  ],
};
const homeLog: CsvLayout = {
  delimiter: ';',
  header: HOME_LOG_HEADER,
  layoutKey: csvLayoutKey(HOME_LOG_HEADER),
  sampleRows: [
    ['01.03.2026 07:30', 'Blutdruck', '131/82', 'mmHg', 'Beurer BM 54', '1'],
    ['01.03.2026 07:31', 'Puls', '72', 'bpm', 'Beurer BM 54', '2'],
    ['13.03.2026 07:35', 'Gewicht', '80,4', 'kg', 'Waage', '3'],
  ],
};

describe('the column-mapping form', () => {
  it('guesses the cuff app’s date, systolic and diastolic columns, and leaves measure and unit to the nurse', () => {
    const draft = proposeCsvMappingDraft(cuff);
    expect(draft.roles).toEqual(['time', 'value', 'diastolic', 'ignore', 'ignore']);
    expect(draft.timeFormat).toBe('iso');
    const check = checkCsvMappingDraft(draft, cuff, UNITS);
    expect(check).toEqual({
      ok: false,
      issues: [
        'Choose what was measured, or the column that says it.',
        'Choose the unit of the values, or the column that holds it.',
      ],
    });
  });

  it('turns a complete draft into the mapping main reads with (fixed measure and unit)', () => {
    const draft = { ...proposeCsvMappingDraft(cuff), measure: 'bloodPressure' as const, unit: ' mmHg ' };
    expect(checkCsvMappingDraft(draft, cuff, UNITS)).toEqual({
      ok: true,
      mapping: {
        layoutKey: cuff.layoutKey,
        delimiter: ',',
        columns: { time: 0, value: 1, diastolic: 2 },
        timeFormat: 'iso',
        measure: 'bloodPressure',
        unit: 'mmHg',
      },
    });
  });

  it('says when there is no date column, no value column, or a column is chosen twice', () => {
    const draft: CsvMappingDraft = {
      roles: ['ignore', 'diastolic', 'diastolic', 'ignore', 'ignore'],
      timeFormat: 'iso',
      measure: 'bloodPressure',
      unit: 'mmHg',
      measureValues: {},
    };
    const check = checkCsvMappingDraft(draft, cuff, UNITS);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.issues).toEqual([
      'Only one column can be “second value (diastolic)”.',
      'Choose the column with the date and time.',
      'Choose the column with the measured value.',
    ]);
  });

  it('names a unit this app does not know for the chosen measure, with the ones it does', () => {
    const draft = { ...proposeCsvMappingDraft(cuff), measure: 'bloodPressure' as const, unit: 'bar' };
    const check = checkCsvMappingDraft(draft, cuff, UNITS);
    expect(!check.ok && check.issues).toEqual([
      'The unit “bar” is not one this app knows for this measure: use mm[Hg], mmHg, kPa.',
    ]);
  });

  it('refuses a date format the samples are not written in', () => {
    const draft = {
      ...proposeCsvMappingDraft(cuff),
      timeFormat: 'dmy' as const,
      measure: 'bloodPressure' as const,
      unit: 'mmHg',
    };
    const check = checkCsvMappingDraft(draft, cuff, UNITS);
    expect(!check.ok && check.issues).toEqual([
      'The dates are not written as 01/03/2026 08:15 (day first): choose the date format.',
    ]);
  });

  it('knows day-first from a day above 12, and calls 01.03 vs 03.01 ambiguous', () => {
    expect(timeFormatsFitting(['01.03.2026 07:30', '13.03.2026 07:35'])).toEqual(['dmy']);
    expect(timeFormatsFitting(['01.03.2026 07:30', '02.03.2026 07:35'])).toEqual(['dmy', 'mdy']);
    expect(timeFormatsFitting(['1775027400'])).toEqual(['epoch-s']);
    expect(timeFormatsFitting(['1775027400000'])).toEqual(['epoch-ms']);
    expect(timeFormatsFitting(['yesterday'])).toEqual([]);
  });

  it('asks what each word of the measure column means before the mapping is complete', () => {
    const draft = proposeCsvMappingDraft(homeLog);
    expect(draft.roles).toEqual(['time', 'measure', 'value', 'unit', 'device', 'recordId']);
    expect(draft.timeFormat).toBe('dmy');
    const partial = { ...draft, measureValues: { Blutdruck: 'bloodPressure' as const } };
    const first = checkCsvMappingDraft(partial, homeLog, UNITS);
    expect(!first.ok && first.issues).toEqual(['Say what “Puls” in the measure column means.']);
    const full = {
      ...draft,
      measureValues: {
        Blutdruck: 'bloodPressure' as const,
        Puls: 'heartRate' as const,
        Gewicht: 'bodyWeight' as const,
      },
    };
    const done = checkCsvMappingDraft(full, homeLog, UNITS);
    expect(done.ok && done.mapping).toMatchObject({
      columns: { time: 0, measure: 1, value: 2, unit: 3, device: 4, recordId: 5 },
      measureValues: full.measureValues,
    });
    expect(done.ok && 'measure' in done.mapping).toBe(false);
    expect(done.ok && 'unit' in done.mapping).toBe(false);
  });

  it('starts Change from the saved mapping', () => {
    const draft = { ...proposeCsvMappingDraft(cuff), measure: 'bloodPressure' as const, unit: 'mmHg' };
    const check = checkCsvMappingDraft({ ...draft, utcOffsetMinutes: 120 }, cuff, UNITS);
    if (!check.ok) throw new Error(check.issues.join(' '));
    const again = draftFromMapping(check.mapping, cuff.header.length);
    expect(again).toEqual({ ...draft, utcOffsetMinutes: 120 });
    expect(checkCsvMappingDraft(again, cuff, UNITS)).toEqual(check);
  });
});
