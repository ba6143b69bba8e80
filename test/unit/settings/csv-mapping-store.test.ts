import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { csvLayoutKey, type CsvColumnMapping } from '../../../shared/home-data/csv-mapping';
import {
  createCsvMappingStore,
  jsonFileCsvMappingBackend,
  MAX_CSV_LAYOUTS,
  memoryCsvMappingBackend,
  sanitizeCsvMappings,
} from '../../../main/settings/csv-mapping-store';
import { CUFF_APP_HEADER } from '../../sim/home-data/mapped-csv';

const cuff: CsvColumnMapping = {
  layoutKey: csvLayoutKey(CUFF_APP_HEADER),
  delimiter: ',',
  columns: { time: 0, value: 1, diastolic: 2 },
  timeFormat: 'iso',
  measure: 'bloodPressure',
  unit: 'mmHg',
};

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the layouts a nurse mapped, remembered per layout', () => {
  it('gives back the mapping saved for a layout, and nothing for another layout', () => {
    const store = createCsvMappingStore(memoryCsvMappingBackend());
    expect(store.get(cuff.layoutKey)).toBeUndefined();
    store.save(cuff);
    expect(store.get(cuff.layoutKey)).toEqual(cuff);
    expect(store.get(csvLayoutKey(['Date', 'Weight']))).toBeUndefined();
    // Saving again replaces the layout's mapping.
    store.save({ ...cuff, utcOffsetMinutes: 60 });
    expect(store.get(cuff.layoutKey)?.utcOffsetMinutes).toBe(60);
  });

  it('keeps no free text of the file: the source name is not remembered', () => {
    const backend = memoryCsvMappingBackend();
    createCsvMappingStore(backend).save({ ...cuff, sourceName: 'Maja Lindqvist’s cuff' });
    expect(JSON.stringify(backend.raw())).not.toContain('Maja');
    expect(createCsvMappingStore(backend).get(cuff.layoutKey)).toEqual(cuff);
  });

  it('refuses to save what is not a mapping', () => {
    const store = createCsvMappingStore(memoryCsvMappingBackend());
    expect(() => store.save({ ...cuff, layoutKey: '../../etc' })).toThrow();
    expect(() => store.save({ ...cuff, measure: undefined } as CsvColumnMapping)).toThrow(
      /Choose the measure/,
    );
  });

  it('checks every stored entry on load: a hand-edited, misfiled or foreign entry is dropped', () => {
    const other = { ...cuff, layoutKey: csvLayoutKey(['Date', 'Weight']) };
    const loaded = sanitizeCsvMappings({
      layouts: {
        [cuff.layoutKey]: cuff,
        // Filed under another layout's key: it would be offered for the wrong file.
        [csvLayoutKey(['a', 'b'])]: other,
        [other.layoutKey]: { ...other, columns: { time: -1, value: 1 } },
        ffffffffffffffff: { layoutKey: 'ffffffffffffffff', note: 'not a mapping' },
      },
    });
    expect([...loaded.keys()]).toEqual([cuff.layoutKey]);
    expect(sanitizeCsvMappings('nonsense').size).toBe(0);
    expect(sanitizeCsvMappings({ layouts: [cuff] }).size).toBe(0);
  });

  it(`keeps the newest ${MAX_CSV_LAYOUTS} layouts`, () => {
    const store = createCsvMappingStore(memoryCsvMappingBackend());
    const keys = Array.from({ length: MAX_CSV_LAYOUTS + 2 }, (_, i) => csvLayoutKey([`c${i}`, 'v']));
    for (const layoutKey of keys) store.save({ ...cuff, layoutKey });
    expect(store.get(keys[0]!)).toBeUndefined();
    expect(store.get(keys[1]!)).toBeUndefined();
    expect(store.get(keys[2]!)).toBeDefined();
    expect(store.get(keys.at(-1)!)).toBeDefined();
  });

  it('lives in an owner-only JSON file; a damaged file means no layout is remembered, not a crash', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vd-csv-map-'));
    const file = path.join(dir, 'csv-mappings.json');
    const store = createCsvMappingStore(jsonFileCsvMappingBackend(file));
    store.save(cuff);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ layouts: { [cuff.layoutKey]: cuff } });
    expect(createCsvMappingStore(jsonFileCsvMappingBackend(file)).get(cuff.layoutKey)).toEqual(cuff);
    writeFileSync(file, '{ "layouts": ');
    expect(store.get(cuff.layoutKey)).toBeUndefined();
    store.save(cuff);
    expect(store.get(cuff.layoutKey)).toEqual(cuff);
  });
});
