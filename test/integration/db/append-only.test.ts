/**
 * Append-only against every statement form SQLite offers. Each form below is what someone with the
 * key and a SQLite console (or a bug) would try to rewrite a stored reading or audit record; each
 * must be refused and leave the table exactly as it was, with `recursive_triggers` off (SQLite's
 * default, under which REPLACE's implicit delete runs no DELETE trigger) and on.
 */
import { describe, expect, it } from 'vitest';
import { createAuditStore } from '../../../main/audit/audit-store';
import type { Database } from '../../../main/db/connection';
import { JANE, openFixture } from './fixtures';
import { randomKey } from './helpers';

interface Target {
  table: string;
  /** Primary key column. */
  key: string;
  /** Keys of two stored rows. */
  first: string | number;
  second: string | number;
  /** The column a rewrite would change, and to what. */
  column: string;
  forged: string | number;
  /** The key is the rowid itself (INTEGER PRIMARY KEY), so there is no separate rowid to collide on. */
  keyIsRowid?: boolean;
}

function columnsOf(db: Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

function snapshot(db: Database, table: string): unknown[] {
  return db.prepare(`SELECT rowid AS _rowid, * FROM ${table} ORDER BY rowid`).all();
}

/** Every way SQLite can write over an existing row, as [name, sql, params]. */
function rewrites(db: Database, t: Target): [string, string, unknown[]][] {
  const cols = columnsOf(db, t.table);
  const list = cols.join(', ');
  // The stored row with one column forged: what an overwrite would leave behind.
  const forgedRow = cols.map((c) => (c === t.column ? '?' : c)).join(', ');
  const copy = `SELECT ${forgedRow} FROM ${t.table} WHERE ${t.key} = ?`;
  const withNewKey = cols.map((c) => (c === t.key ? `${c} || ''` : c === t.column ? '?' : c)).join(', ');
  const p = [t.forged, t.first];
  const upsert = (target: string, action: string) =>
    `INSERT INTO ${t.table} (${list}) ${copy} AND true ON CONFLICT${target} DO ${action}`;
  const forms: [string, string, unknown[]][] = [
    ['INSERT OR REPLACE', `INSERT OR REPLACE INTO ${t.table} (${list}) ${copy}`, p],
    ['REPLACE', `REPLACE INTO ${t.table} (${list}) ${copy}`, p],
    [
      'INSERT OR REPLACE by rowid',
      `INSERT OR REPLACE INTO ${t.table} (rowid, ${list}) SELECT rowid, ${forgedRow} FROM ${t.table} WHERE ${t.key} = ?`,
      p,
    ],
    [
      'INSERT OR REPLACE, new key, same rowid',
      `INSERT OR REPLACE INTO ${t.table} (rowid, ${list}) SELECT rowid, ${withNewKey.replace(`${t.key} || ''`, `${t.key} || '-x'`)} FROM ${t.table} WHERE ${t.key} = ?`,
      p,
    ],
    [
      'upsert ON CONFLICT (key) DO UPDATE',
      upsert(` (${t.key})`, `UPDATE SET ${t.column} = excluded.${t.column}`),
      p,
    ],
    [
      'upsert ON CONFLICT DO UPDATE (no target)',
      upsert('', `UPDATE SET ${t.column} = excluded.${t.column}`),
      p,
    ],
    ['upsert ON CONFLICT DO NOTHING', upsert('', 'NOTHING'), p],
    ['INSERT OR IGNORE', `INSERT OR IGNORE INTO ${t.table} (${list}) ${copy}`, p],
    ['INSERT OR ABORT', `INSERT OR ABORT INTO ${t.table} (${list}) ${copy}`, p],
    ['INSERT OR FAIL', `INSERT OR FAIL INTO ${t.table} (${list}) ${copy}`, p],
    ['INSERT OR ROLLBACK', `INSERT OR ROLLBACK INTO ${t.table} (${list}) ${copy}`, p],
    ['UPDATE', `UPDATE ${t.table} SET ${t.column} = ? WHERE ${t.key} = ?`, p],
    ['UPDATE OR REPLACE', `UPDATE OR REPLACE ${t.table} SET ${t.column} = ? WHERE ${t.key} = ?`, p],
    [
      'UPDATE OR REPLACE onto another key',
      `UPDATE OR REPLACE ${t.table} SET ${t.key} = ? WHERE ${t.key} = ?`,
      [t.first, t.second],
    ],
    ['UPDATE OR IGNORE', `UPDATE OR IGNORE ${t.table} SET ${t.column} = ? WHERE ${t.key} = ?`, p],
    ['UPDATE OR FAIL', `UPDATE OR FAIL ${t.table} SET ${t.column} = ? WHERE ${t.key} = ?`, p],
    ['UPDATE OR ROLLBACK', `UPDATE OR ROLLBACK ${t.table} SET ${t.column} = ? WHERE ${t.key} = ?`, p],
    [
      'UPDATE ... FROM',
      `UPDATE ${t.table} SET ${t.column} = x.v FROM (SELECT ? AS v, ? AS k) AS x WHERE ${t.key} = x.k`,
      p,
    ],
    ['UPDATE ... RETURNING', `UPDATE ${t.table} SET ${t.column} = ? WHERE ${t.key} = ? RETURNING 1`, p],
    ['DELETE', `DELETE FROM ${t.table} WHERE ${t.key} = ?`, [t.first]],
    ['DELETE ... RETURNING', `DELETE FROM ${t.table} WHERE ${t.key} = ? RETURNING 1`, [t.first]],
  ];
  return t.keyIsRowid ? forms.filter(([name]) => !name.includes('same rowid')) : forms;
}

function attempt(db: Database, sql: string, params: unknown[]): string {
  try {
    const statement = db.prepare(sql);
    if (statement.reader) statement.all(...params);
    else statement.run(...params);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return 'accepted';
}

/** A shift's worth of stored history: readings (one corrected), an audit trail, a sign-off, a correction. */
function storedHistory() {
  const f = openFixture();
  const patient = f.patients.registerPatient(JANE);
  const visit = f.encounters.startEncounter({ patientId: patient.id }, 'nurse-1');
  const hr = f.observations.recordObservation(
    {
      patientId: patient.id,
      encounterId: visit.id,
      kind: 'heartRate',
      value: 72,
      effectiveAt: '2026-03-01T09:00:00Z',
      method: 'manual',
    },
    'nurse-1',
  );
  f.clock.advance(60_000);
  const temp = f.observations.recordObservation(
    {
      patientId: patient.id,
      kind: 'bodyTemperature',
      value: 38.9,
      effectiveAt: '2026-03-01T09:01:00Z',
      method: 'manual',
    },
    'nurse-1',
  );
  f.clock.advance(60_000);
  const amended = f.observations.amendObservation(temp.id, { value: 37.9 }, 'Typo', 'nurse-1');
  const audit = createAuditStore(f.db, { key: randomKey(), mayStart: true });
  for (const outcome of ['denied', 'success'] as const)
    audit.append({
      at: f.clock.now().toISOString(),
      actorUserId: 'admin-1',
      actorRole: 'admin',
      workstation: 'Intake desk',
      action: 'patients.get',
      resourceType: 'Patient',
      resourceId: patient.id,
      patientId: patient.id,
      outcome,
      detail: outcome === 'denied' ? 'FORBIDDEN' : null,
    });
  f.db
    .prepare(
      `INSERT INTO reviews (id, encounter_id, patient_id, signed_by, signed_by_name, signed_by_role, signed_at, comment)
       VALUES (?, ?, ?, 'c-1', 'Dr A', 'clinician', 't', 'Seen'), (?, ?, ?, 'c-2', 'Dr B', 'clinician', 't', 'Seen')`,
    )
    .run('r-1', visit.id, patient.id, 'r-2', visit.id, patient.id);
  f.db
    .prepare(
      `INSERT INTO patient_corrections (id, patient_id, corrected_at, corrected_by, reason, previous)
       VALUES (?, ?, 't', 'n-1', 'Misspelt', '{}'), (?, ?, 't', 'n-1', 'Wrong date', '{}')`,
    )
    .run('c-1', patient.id, 'c-2', patient.id);
  return { ...f, patient, hr, temp, amended };
}

describe('append-only tables refuse every rewriting statement form', () => {
  for (const recursive of [false, true]) {
    it(`observations, audit records, sign-offs and corrections stay as stored (recursive_triggers ${recursive ? 'on' : 'off'})`, () => {
      const f = storedHistory();
      f.db.pragma(`recursive_triggers = ${recursive ? 'ON' : 'OFF'}`);
      const targets: Target[] = [
        {
          table: 'observations',
          key: 'id',
          first: f.hr.id,
          second: f.temp.id,
          column: 'value_quantity',
          forged: 180,
        },
        {
          table: 'audit_log',
          key: 'seq',
          first: 1,
          second: 2,
          column: 'outcome',
          forged: 'success',
          keyIsRowid: true,
        },
        { table: 'reviews', key: 'id', first: 'r-1', second: 'r-2', column: 'comment', forged: 'Never seen' },
        {
          table: 'patient_corrections',
          key: 'id',
          first: 'c-1',
          second: 'c-2',
          column: 'reason',
          forged: 'x',
        },
      ];
      for (const target of targets) {
        const before = snapshot(f.db, target.table);
        expect(before.length).toBeGreaterThanOrEqual(2);
        for (const [form, sql, params] of rewrites(f.db, target)) {
          const outcome = attempt(f.db, sql, params);
          expect({ table: target.table, form, outcome }).toEqual({
            table: target.table,
            form,
            outcome: expect.stringMatching(/append-only/) as unknown,
          });
          expect(snapshot(f.db, target.table), `${target.table}: ${form}`).toEqual(before);
        }
      }
      // The reading an INSERT OR REPLACE once turned from 72 into 180: still 72, still one version.
      expect(f.observations.observationHistory(f.hr.id).map((o) => o.value)).toEqual([72]);
      f.db.close();
    });
  }

  it('refuses a second correction of a version by REPLACE, which would delete the first one', () => {
    const f = storedHistory();
    const cols = columnsOf(f.db, 'observations');
    // A new row claiming to correct the same version: REPLACE would drop the real amendment to fit it.
    const sql = `INSERT OR REPLACE INTO observations (${cols.join(', ')})
      SELECT ${cols.map((c) => (c === 'id' ? "'forged-amendment'" : c === 'value_quantity' ? '36.6' : c)).join(', ')}
      FROM observations WHERE id = ?`;
    expect(attempt(f.db, sql, [f.amended.id])).toMatch(/append-only/);
    expect(f.observations.observationHistory(f.temp.id).map((o) => o.value)).toEqual([38.9, 37.9]);
    f.db.close();
  });

  it('still accepts the new rows the app writes: a new reading and a correction', () => {
    const f = storedHistory();
    const next = f.observations.recordObservation(
      {
        patientId: f.patient.id,
        kind: 'heartRate',
        value: 80,
        effectiveAt: '2026-03-01T09:05:00Z',
        method: 'manual',
      },
      'nurse-1',
    );
    f.clock.advance(1000);
    f.observations.amendObservation(next.id, { value: 81 }, 'Recount', 'nurse-1');
    expect(f.observations.observationHistory(next.id).map((o) => o.value)).toEqual([80, 81]);
    f.db.close();
  });
});
