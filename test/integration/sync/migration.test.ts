/** Migration 030 on a database that already holds observations: they are queued, current versions only. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/connection';
import { migrations } from '../../../main/db/migrations';
import { observationRepository } from '../../../main/db/repositories/observations';
import { patientRepository } from '../../../main/db/repositories/patients';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('queues the current version of every existing series, numbering versions along each chain', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vd-sync-mig-'));
  dirs.push(dir);
  const file = path.join(dir, 'vitals.db');
  const key = randomBytes(32);
  const before = openDatabase({ file, key, migrations: migrations.filter((m) => m.version < 30) });
  expect(before.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sync_outbox'").pluck().get()).toBe(
    0,
  );
  const patient = patientRepository(before).registerPatient({
    mrn: 'MIG-1',
    family: 'Before',
    given: 'Sync',
    birthDate: '1970-01-01',
    sex: 'female',
  });
  const repo = observationRepository(before);
  const at = new Date(Date.now() - 60_000).toISOString();
  const single = repo.recordObservation(
    { patientId: patient.id, kind: 'spo2', value: 97, effectiveAt: at, method: 'manual' },
    'nurse-1',
  );
  const v1 = repo.recordObservation(
    { patientId: patient.id, kind: 'heartRate', value: 80, effectiveAt: at, method: 'manual' },
    'nurse-1',
  );
  const v2 = repo.amendObservation(v1.id, { value: 82 }, 'Recounted', 'nurse-1');
  const v3 = repo.markEnteredInError(v2.id, 'Wrong patient', 'nurse-1');
  before.close();

  const after = openDatabase({ file, key });
  const rows = after
    .prepare('SELECT observation_id, series_id, version, state FROM sync_outbox ORDER BY series_id, version')
    .all();
  const expected = [
    { observation_id: single.id, series_id: single.id, version: 1, state: 'pending' },
    { observation_id: v1.id, series_id: v1.id, version: 1, state: 'superseded' },
    { observation_id: v2.id, series_id: v1.id, version: 2, state: 'superseded' },
    { observation_id: v3.id, series_id: v1.id, version: 3, state: 'pending' },
  ].sort((a, b) => a.series_id.localeCompare(b.series_id) || a.version - b.version);
  expect(rows).toEqual(expected);

  // From now on the trigger numbers and supersedes as it goes.
  const next = observationRepository(after).amendObservation(
    single.id,
    { value: 96 },
    'Probe moved',
    'nurse-1',
  );
  expect(
    after.prepare('SELECT version, state FROM sync_outbox WHERE observation_id = ?').get(next.id),
  ).toEqual({
    version: 2,
    state: 'pending',
  });
  expect(after.prepare('SELECT state FROM sync_outbox WHERE observation_id = ?').pluck().get(single.id)).toBe(
    'superseded',
  );
  after.close();
});
