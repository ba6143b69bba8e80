/**
 * Home-data import through the real core and its worker thread (the worker runs from its TypeScript
 * source here, the same module the app bundles). There is no file dialog in a test: the picker is a
 * stand-in that returns the sample file the test wrote, as the Chromium host's does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { parsePolicy } from '../../../main/policy/load';
import type { HomeImportPreview, HomeImportResult } from '../../../shared/home-data/import-summary';
import { createTestCore, call } from '../../support/core';
import { signInAs } from '../../support/session';
import { tempDir } from '../db/helpers';
import { clarityWindow } from './helpers';
import { writeAppleHealthZip } from '../../sim/home-data/apple-health';
import { refuseAuditRecords } from '../../support/audit-fault';
import { AUDIT_NOT_RECORDED_CHANGE } from '../../../main/audit/atomic-writes';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

async function shift(policy: Record<string, unknown> = {}) {
  const { core } = await createTestCore({ policy: { file: '', ...parsePolicy(JSON.stringify(policy)) } });
  cores.push(core);
  const nurse = await signInAs(core, 'nurse', 'nurse-window');
  let next: string | null = null;
  core.attachFilePicker({ pick: () => Promise.resolve(next) });
  const patient = await call<{ id: string }>(core, 'nurse-window', 'patients.register', {
    mrn: 'MRN-3003',
    family: 'Lindqvist',
    given: 'Maja',
    birthDate: '1971-09-30',
    sex: 'female',
  });
  const progress: { jobId: string; phase: string; records: number }[] = [];
  core.events.subscribe((name, payload) => {
    if (name === 'homeData.progress') progress.push(payload as (typeof progress)[number]);
  });
  const choose = async (file: string): Promise<string> => {
    next = file;
    const chosen = await call<{ file: { token: string; fileName: string } | null }>(
      core,
      'nurse-window',
      'homeData.chooseFile',
      {},
    );
    expect(chosen.file?.fileName).toBe(file.split('/').pop());
    return chosen.file!.token;
  };
  const count = (): number =>
    core
      .db!.prepare('SELECT count(*) FROM home_observations WHERE patient_id = ?')
      .pluck()
      .get(patient.id) as number;
  return { core, nurse, patient, progress, choose, count, dir: tempDir('vd-home-svc-') };
}

const uuid = (): string => crypto.randomUUID();

describe('home-data import service (worker thread)', () => {
  it('previews, imports, and re-imports nothing, with progress and an audit trail', async () => {
    const s = await shift();
    const file = clarityWindow(s.dir, 'clarity-export.csv', 0, 2016);
    const jobId = uuid();
    const preview = await call<{ status: string; preview: HomeImportPreview }>(
      s.core,
      'nurse-window',
      'homeData.preview',
      {
        jobId,
        patientId: s.patient.id,
        fileToken: await s.choose(file),
      },
    );
    expect(preview.status).toBe('done');
    expect(preview.preview).toMatchObject({ format: 'dexcom-clarity', recordsRead: 2016, newRecords: 2016 });
    expect(s.count()).toBe(0);
    expect(s.progress.some((p) => p.jobId === jobId && p.phase === 'reading')).toBe(true);

    const imported = await call<{ status: string; result: HomeImportResult }>(
      s.core,
      'nurse-window',
      'homeData.import',
      {
        jobId,
        patientId: s.patient.id,
      },
    );
    expect(imported).toMatchObject({ status: 'done', result: { added: 2016, alreadyImported: 0 } });
    expect(s.count()).toBe(2016);

    // The same file again, as a nurse who is not sure it was done: nothing new.
    const again = uuid();
    const second = await call<{ preview: HomeImportPreview }>(s.core, 'nurse-window', 'homeData.preview', {
      jobId: again,
      patientId: s.patient.id,
      fileToken: await s.choose(file),
    });
    expect(second.preview).toMatchObject({ newRecords: 0, alreadyImported: 2016 });
    const none = await call<{ result: HomeImportResult }>(s.core, 'nurse-window', 'homeData.import', {
      jobId: again,
      patientId: s.patient.id,
    });
    expect(none.result.added).toBe(0);
    expect(s.count()).toBe(2016);

    // Review reads it back with its source.
    const review = await call<{
      observations: unknown[];
      sources: { sourceName: string; count: number }[];
      imports: unknown[];
    }>(s.core, 'nurse-window', 'homeData.forPatient', {
      patientId: s.patient.id,
      from: '2025-12-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
    });
    expect(review.observations).toHaveLength(2016);
    expect(review.sources[0]).toMatchObject({ count: 2016, sourceName: expect.stringMatching(/Dexcom/) });
    expect(review.imports).toHaveLength(2);

    const trail = s.core
      .db!.prepare(
        `SELECT action, outcome, patient_id, detail FROM audit_log WHERE action LIKE 'homeData.%' ORDER BY seq`,
      )
      .all() as { action: string; outcome: string; patient_id: string | null; detail: string | null }[];
    expect(trail.map((t) => t.action)).toEqual([
      'homeData.preview',
      'homeData.imported',
      'homeData.import',
      'homeData.preview',
      'homeData.imported',
      'homeData.import',
      'homeData.forPatient',
    ]);
    expect(
      trail.filter((t) => t.action !== 'homeData.forPatient').every((t) => t.patient_id === s.patient.id),
    ).toBe(true);
    expect(trail[1]!.detail).toBe('format:dexcom-clarity;read:2016;added:2016');
  });

  it('cancelled while reading, stores nothing and can be started again', async () => {
    const s = await shift();
    // A year of 5-minute readings: the reader is still at work when Cancel arrives.
    const file = clarityWindow(s.dir, 'year.csv', 0, 105_000);
    const jobId = uuid();
    const token = await s.choose(file);
    let cancelled: Promise<unknown> | undefined;
    const unsubscribe = s.core.events.subscribe((name, payload) => {
      if (name === 'homeData.progress' && (payload as { jobId: string }).jobId === jobId && !cancelled) {
        cancelled = call(s.core, 'nurse-window', 'homeData.cancel', { jobId, patientId: s.patient.id });
      }
    });
    const outcome = await call<{ status: string }>(s.core, 'nurse-window', 'homeData.preview', {
      jobId,
      patientId: s.patient.id,
      fileToken: token,
    });
    unsubscribe();
    await cancelled;
    expect(outcome.status).toBe('cancelled');
    expect(s.count()).toBe(0);
    // The job is gone: importing it now is refused.
    await expect(
      call(s.core, 'nurse-window', 'homeData.import', { jobId, patientId: s.patient.id }),
    ).rejects.toThrow(/NOT_FOUND/);
    expect(s.core.db!.prepare('SELECT count(*) FROM home_imports').pluck().get()).toBe(0);
    const cancelAudit = s.core
      .db!.prepare(`SELECT count(*) FROM audit_log WHERE action = 'homeData.cancel'`)
      .pluck()
      .get();
    expect(cancelAudit).toBe(1);
  });

  it('refuses a file larger than the policy allows, and a file of the wrong kind, with a clear message', async () => {
    const s = await shift({ homeImportMaxBytes: 1024 * 1024 });
    const big = clarityWindow(s.dir, 'big.csv', 0, 20_000);
    await expect(
      call(s.core, 'nurse-window', 'homeData.preview', {
        jobId: uuid(),
        patientId: s.patient.id,
        fileToken: await s.choose(big),
      }),
    ).rejects.toThrow(/VALIDATION big\.csv is 1\.\d MB, more than this workstation takes \(1\.0 MB\)/);
    const { writeFileSync } = await import('node:fs');
    const notes = `${s.dir}/meter-photo.jpg`;
    writeFileSync(notes, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]));
    await expect(
      call(s.core, 'nurse-window', 'homeData.preview', {
        jobId: uuid(),
        patientId: s.patient.id,
        fileToken: await s.choose(notes),
      }),
    ).rejects.toThrow(
      /VALIDATION meter-photo\.jpg is a binary file that is not a health export\. Nothing was imported/,
    );
    expect(s.count()).toBe(0);
  });

  it('gives another window nothing of a nurse’s chosen file or preview', async () => {
    const s = await shift();
    await signInAs(s.core, 'nurse', 'other-window');
    const token = await s.choose(clarityWindow(s.dir, 'x.csv', 0, 10));
    await expect(
      call(s.core, 'other-window', 'homeData.preview', {
        jobId: uuid(),
        patientId: s.patient.id,
        fileToken: token,
      }),
    ).rejects.toThrow(/NOT_FOUND/);
    const jobId = uuid();
    await call(s.core, 'nurse-window', 'homeData.preview', {
      jobId,
      patientId: s.patient.id,
      fileToken: token,
    });
    await expect(
      call(s.core, 'other-window', 'homeData.import', { jobId, patientId: s.patient.id }),
    ).rejects.toThrow(/NOT_FOUND/);
    expect(s.count()).toBe(0);
  });

  it('an Apple Health export naming another birth date waits for the nurse to confirm, then imports', async () => {
    const s = await shift();
    const zip = `${s.dir}/export.zip`;
    // The export's owner was born 1961-04-12; the chart says 1971-09-30.
    const summary = await writeAppleHealthZip(zip, `${s.dir}/export.xml`, {
      records: 3000,
      birthDate: '1961-04-12',
      name: 'Maja Lindqvist',
    });
    expect(summary.records).toBeGreaterThan(0);
    const jobId = uuid();
    const { preview } = await call<{ preview: HomeImportPreview }>(
      s.core,
      'nurse-window',
      'homeData.preview',
      {
        jobId,
        patientId: s.patient.id,
        fileToken: await s.choose(zip),
      },
    );
    expect(preview.format).toBe('apple-health');
    expect(preview.subjectCheck).toEqual({
      subject: { birthDate: '1961-04-12', sex: 'female' },
      mismatches: ['birth date'],
    });
    expect(preview.newRecords).toBeGreaterThan(0);
    expect(
      preview.sources.some((source) => /Apple Watch|iPhone/.test(`${source.sourceName} ${source.device}`)),
    ).toBe(true);
    await expect(
      call(s.core, 'nurse-window', 'homeData.import', { jobId, patientId: s.patient.id }),
    ).rejects.toThrow(/NEEDS_CONFIRMATION This export names a different birth date/);
    expect(s.count()).toBe(0);
    // The staged file waited for the answer: confirming imports it without reading it again.
    const done = await call<{ result: HomeImportResult }>(s.core, 'nurse-window', 'homeData.import', {
      jobId,
      patientId: s.patient.id,
      confirmSubjectMismatch: true,
    });
    expect(done.result.added).toBe(preview.newRecords);
    expect(s.count()).toBe(preview.newRecords);
    expect(s.core.db!.prepare('SELECT subject_confirmed FROM home_imports').pluck().all()).toEqual([1]);
  });

  it('stores nothing when the import’s audit record cannot be written, and imports once the trail writes', async () => {
    const s = await shift();
    const file = clarityWindow(s.dir, 'clarity.csv', 0, 2016);
    const open = async (): Promise<string> => {
      const jobId = uuid();
      await call(s.core, 'nurse-window', 'homeData.preview', {
        jobId,
        patientId: s.patient.id,
        fileToken: await s.choose(file),
      });
      return jobId;
    };
    const imported = () =>
      s.core.db!.prepare(`SELECT count(*) FROM audit_log WHERE action = 'homeData.imported'`).pluck().get();
    const first = await open();
    // The fault, met by the import worker's own connection too: the trail refuses every record.
    const allowAudit = refuseAuditRecords(s.core.db!, { everyConnection: true });
    await expect(
      call(s.core, 'nurse-window', 'homeData.import', { jobId: first, patientId: s.patient.id }),
    ).rejects.toThrow(AUDIT_NOT_RECORDED_CHANGE);
    expect(s.count()).toBe(0);
    expect(s.core.db!.prepare('SELECT count(*) FROM home_imports').pluck().get()).toBe(0);
    allowAudit();
    expect(imported()).toBe(0);

    // The trail writes again: the nurse opens the file again and imports it, with its one record.
    const second = await open();
    await expect(
      call(s.core, 'nurse-window', 'homeData.import', { jobId: second, patientId: s.patient.id }),
    ).resolves.toMatchObject({ status: 'done', result: { added: 2016 } });
    expect(s.count()).toBe(2016);
    expect(imported()).toBe(1);
    // The worker's record is chained and the head signed as the app's own: the trail verifies.
    await signInAs(s.core, 'admin', 'admin-window');
    expect(await call(s.core, 'admin-window', 'audit.verify', {})).toMatchObject({ ok: true });
  });
});
