/**
 * "Any other CSV" through the real core and its import worker: the nurse is asked to map an unknown
 * CSV, tries the mapping on its first rows, imports with it; the mapping is then remembered for that
 * layout (settings file, audited) and the next file of the layout is read without asking, while a file
 * of another layout asks again. The file picker is a stand-in (no dialog in a test).
 */
process.env.TZ = 'Europe/Berlin';

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { csvLayoutKey, type CsvColumnMapping } from '../../../shared/home-data/csv-mapping';
import type { HomeImportPreview, HomeImportResult } from '../../../shared/home-data/import-summary';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';
import { tempDir } from '../db/helpers';
import { CUFF_APP_HEADER, cuffAppCsv } from '../../sim/home-data/mapped-csv';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

type Preview =
  | { status: 'done'; preview: HomeImportPreview; csvMapping?: 'saved' | 'confirmed' }
  | {
      status: 'needs-mapping';
      header: string[];
      delimiter: string;
      layoutKey: string;
      sampleRows: string[][];
      remembered: CsvColumnMapping | null;
      units: Record<string, string[]>;
    };

const W = 'nurse-window';
const cuffMapping: CsvColumnMapping = {
  layoutKey: csvLayoutKey(CUFF_APP_HEADER),
  delimiter: ',',
  columns: { time: 0, value: 1, diastolic: 2 },
  timeFormat: 'iso',
  measure: 'bloodPressure',
  unit: 'mmHg',
};

async function desk() {
  const { core, dataDir } = await createTestCore();
  cores.push(core);
  await signInAs(core, 'nurse', W);
  let next: string | null = null;
  core.attachFilePicker({ pick: () => Promise.resolve(next) });
  const register = (mrn: string, family: string) =>
    call<{ id: string }>(core, W, 'patients.register', {
      mrn,
      family,
      given: 'A',
      birthDate: '1950-02-03',
      sex: 'female',
    });
  const choose = async (file: string) => {
    next = file;
    const { file: chosen } = await call<{ file: { token: string } }>(core, W, 'homeData.chooseFile', {});
    return chosen.token;
  };
  const dir = tempDir('vd-csv-map-');
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  return { core, dataDir, register, choose, write };
}

describe('any other CSV, mapped once per layout', () => {
  it('asks, tries, imports, remembers; the same layout is read without asking, another asks again', async () => {
    const { core, dataDir, register, choose, write } = await desk();
    const first = await register('CSV-1', 'Berg');
    const second = await register('CSV-2', 'Holm');

    const fileA = write('cuff-berg.csv', cuffAppCsv({ days: 5, seed: 1 }));
    const tokenA = await choose(fileA);
    const asked = await call<Preview>(core, W, 'homeData.preview', {
      jobId: crypto.randomUUID(),
      patientId: first.id,
      fileToken: tokenA,
    });
    expect(asked.status).toBe('needs-mapping');
    if (asked.status !== 'needs-mapping') return;
    expect(asked.header).toEqual(CUFF_APP_HEADER);
    expect(asked.delimiter).toBe(',');
    expect(asked.layoutKey).toBe(cuffMapping.layoutKey);
    expect(asked.sampleRows).toHaveLength(5);
    expect(asked.sampleRows[0]?.[0]).toBe('2026-04-01 07:10');
    expect(asked.remembered).toBeNull();
    expect(asked.units.bloodPressure).toContain('mmHg');

    // Trying a wrong unit names it on every row; the right one shows the rows as they would import.
    const wrong = await call<{ rows: { line: number; problem?: string }[] }>(core, W, 'homeData.tryMapping', {
      fileToken: tokenA,
      mapping: { ...cuffMapping, unit: 'bar' },
    });
    expect(wrong.rows[0]).toEqual({
      line: 2,
      problem: 'The unit "bar" is not one this app knows for bloodPressure.',
    });
    const tried = await call<{ rows: { line: number; record?: Record<string, unknown> }[] }>(
      core,
      W,
      'homeData.tryMapping',
      { fileToken: tokenA, mapping: cuffMapping },
    );
    expect(tried.rows).toHaveLength(5);
    expect(tried.rows[0]?.record).toMatchObject({
      measure: 'bloodPressure',
      effectiveStart: '2026-04-01T05:10:00.000Z',
    });
    expect(tried.rows[0]?.record?.value).toBe(Number(asked.sampleRows[0]?.[1]));
    expect(tried.rows[0]?.record?.diastolic).toBe(Number(asked.sampleRows[0]?.[2]));

    // Confirmed but abandoned at the preview: not remembered.
    const abandoned = await call<Preview>(core, W, 'homeData.preview', {
      jobId: crypto.randomUUID(),
      patientId: first.id,
      fileToken: tokenA,
      mapping: cuffMapping,
    });
    expect(abandoned.status === 'done' && abandoned.csvMapping).toBe('confirmed');
    const again = await call<Preview>(core, W, 'homeData.preview', {
      jobId: crypto.randomUUID(),
      patientId: first.id,
      fileToken: tokenA,
    });
    expect(again.status).toBe('needs-mapping');

    const jobA = crypto.randomUUID();
    const previewA = await call<Preview>(core, W, 'homeData.preview', {
      jobId: jobA,
      patientId: first.id,
      fileToken: tokenA,
      mapping: cuffMapping,
    });
    expect(previewA.status === 'done' && previewA.preview.newRecords).toBe(10);
    const importedA = await call<{ result: HomeImportResult }>(core, W, 'homeData.import', {
      jobId: jobA,
      patientId: first.id,
    });
    expect(importedA.result.added).toBe(10);

    // Remembered in the settings file: the mapping, and not one value of the file.
    const stored = readFileSync(path.join(dataDir, 'csv-mappings.json'), 'utf8');
    expect(JSON.parse(stored)).toEqual({ layouts: { [cuffMapping.layoutKey]: cuffMapping } });
    for (const cell of asked.sampleRows.flat().filter((c) => c.length > 2))
      expect(stored).not.toContain(cell);
    const audit = core
      .db!.prepare(`SELECT action, resource_id, detail, patient_id FROM audit_log WHERE action = ?`)
      .all('homeData.csvMappingSaved');
    expect(audit).toEqual([
      {
        action: 'homeData.csvMappingSaved',
        resource_id: cuffMapping.layoutKey,
        detail: `layout:${cuffMapping.layoutKey};columns:time,value,diastolic`,
        patient_id: null,
      },
    ]);

    // The next patient's file of the same layout: straight to the preview, with the saved mapping.
    const tokenB = await choose(write('cuff-holm.csv', cuffAppCsv({ days: 3, seed: 2 })));
    const jobB = crypto.randomUUID();
    const previewB = await call<Preview>(core, W, 'homeData.preview', {
      jobId: jobB,
      patientId: second.id,
      fileToken: tokenB,
    });
    expect(previewB.status === 'done' && previewB.csvMapping).toBe('saved');
    expect(previewB.status === 'done' && previewB.preview.newRecords).toBe(6);
    await call(core, W, 'homeData.import', { jobId: jobB, patientId: second.id });
    // Imported with the saved mapping: not saved (nor audited) a second time.
    expect(
      core
        .db!.prepare(`SELECT count(*) FROM audit_log WHERE action = 'homeData.csvMappingSaved'`)
        .pluck()
        .get(),
    ).toBe(1);

    // Change: the form again, filled in with the saved mapping.
    const change = await call<Preview>(core, W, 'homeData.preview', {
      jobId: crypto.randomUUID(),
      patientId: second.id,
      fileToken: tokenB,
      remap: true,
    });
    expect(change.status === 'needs-mapping' && change.remembered).toEqual(cuffMapping);

    // Another layout (the cuff app's newer export adds a column): asked again.
    const header = [...CUFF_APP_HEADER, 'Arrhythmia'];
    const tokenC = await choose(write('cuff-new.csv', cuffAppCsv({ days: 2, header })));
    const asksAgain = await call<Preview>(core, W, 'homeData.preview', {
      jobId: crypto.randomUUID(),
      patientId: second.id,
      fileToken: tokenC,
    });
    expect(asksAgain.status === 'needs-mapping' && asksAgain.layoutKey).toBe(csvLayoutKey(header));
    // The old layout's mapping does not read the new layout.
    await expect(
      call(core, W, 'homeData.tryMapping', { fileToken: tokenC, mapping: cuffMapping }),
    ).rejects.toThrow(/VALIDATION This file's columns are not the ones this mapping is for/);
  });

  it('refuses a mapping that does not fit the contract at the IPC boundary', async () => {
    const { core, register, choose, write } = await desk();
    const patient = await register('CSV-3', 'Dahl');
    const token = await choose(write('cuff.csv', cuffAppCsv()));
    const bad: unknown[] = [
      { ...cuffMapping, layoutKey: '../../../etc/passwd' },
      { ...cuffMapping, columns: { time: 0, value: 1e9 } },
      { ...cuffMapping, measure: 'mood' },
      { ...cuffMapping, measure: undefined },
      { ...cuffMapping, delimiter: '|' },
    ];
    for (const mapping of bad) {
      const result = await core.invoke(
        'homeData.preview',
        { jobId: crypto.randomUUID(), patientId: patient.id, fileToken: token, mapping },
        { senderId: W },
      );
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('BAD_REQUEST');
      const tried = await core.invoke('homeData.tryMapping', { fileToken: token, mapping }, { senderId: W });
      expect(!tried.ok && tried.error.code).toBe('BAD_REQUEST');
    }
    // A token this window never chose reads nothing.
    const stranger = await core.invoke(
      'homeData.tryMapping',
      { fileToken: 'a'.repeat(32), mapping: cuffMapping },
      { senderId: W },
    );
    expect(!stranger.ok && stranger.error.code).toBe('NOT_FOUND');
  });
});
