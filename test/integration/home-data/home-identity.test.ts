/**
 * Home values are found by a hash of their identity (migration 056) instead of an index of the whole
 * identity. The table is rebuilt for it: rows stored before keep their rowid (home sync's cursor), id
 * and every value; and it stays append-only — a duplicate identity, a REPLACE on id, rowid or identity,
 * an UPDATE or a DELETE are refused and leave the stored row as it was. Two different records whose
 * hashes collide are both kept: equal hashes are compared in full.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../main/db/connection';
import { identityHash } from '../../../main/db/home-identity';
import { migrations } from '../../../main/db/migrations';
import { randomKey, tempDir } from '../db/helpers';

const COLUMNS = `rowid, id, patient_id, import_id, format, source_record_id, measure, value, diastolic, unit,
  effective_start, effective_end, beyond_range, source_name, device, series, version_of`;

/** A patient and one Apple Health import of theirs, to hang home values on. */
function seedPatientAndImport(db: Database, patientId = 'p1', importId = 'i1', mrn = 'MRN-1001'): void {
  db.prepare(
    `INSERT INTO patients (id, mrn, family, given, birth_date, sex, search_name, created_at, updated_at)
     VALUES (?, ?, 'Okonkwo', 'Adaeze', '1958-04-17', 'female', 'okonkwo adaeze', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')`,
  ).run(patientId, mrn);
  db.prepare(
    `INSERT INTO home_imports (id, patient_id, format, file_name, file_bytes, imported_at, imported_by, records_read,
       records_added, warnings, subject_confirmed)
     VALUES (?, ?, 'apple-health', 'export.xml', 1, '2026-03-02T20:00:00Z', 'nurse-1', 4, 4, 0, 0)`,
  ).run(importId, patientId);
}

const insertOld = `INSERT INTO home_observations (rowid, id, patient_id, import_id, format, source_record_id, measure,
    value, diastolic, unit, effective_start, effective_end, source_name, device, series, version_of)
  VALUES (@rowid, @id, 'p1', 'i1', 'apple-health', @sid, @measure, @value, @diastolic, @unit,
    '2026-03-01T08:00:00.000Z', NULL, 'Jane’s Apple Watch', 'Apple Watch', @series, @versionOf)`;

const insertNew = `INSERT INTO home_observations (id, patient_id, import_id, format, source_record_id, measure,
    value, unit, effective_start, identity)
  VALUES (@id, 'p1', 'i1', 'apple-health', @sid, 'heartRate', @value, '/min', '2026-03-01T09:00:00.000Z', @identity)`;

function openAtVersion(version: number): { db: Database; file: string; key: Buffer } {
  const file = path.join(tempDir('vd-home-id-'), 'vitals.db');
  const key = randomKey();
  const db = openDatabase({ file, key, migrations: migrations.filter((m) => m.version <= version) });
  return { db, file, key };
}

describe('home values found by the hash of their identity', () => {
  it('keeps every row stored before, with its rowid, id and values, and fills its identity hash', () => {
    const { db: old, file, key } = openAtVersion(55);
    seedPatientAndImport(old);
    const add = old.prepare(insertOld);
    // Rowids with a gap, as a real table has after other patients' imports.
    add.run({
      rowid: 7,
      id: 'o-hr',
      sid: 'apple-health:abc',
      measure: 'heartRate',
      value: 61,
      diastolic: null,
      unit: '/min',
      series: null,
      versionOf: null,
    });
    add.run({
      rowid: 9,
      id: 'o-bp',
      sid: 'apple-health:bp1',
      measure: 'bloodPressure',
      value: 128,
      diastolic: 82,
      unit: 'mm[Hg]',
      series: null,
      versionOf: null,
    });
    add.run({
      rowid: 12,
      id: 'o-s1',
      sid: 'apple-health:steps:2026-03-01',
      measure: 'steps',
      value: 1500,
      diastolic: null,
      unit: '/d',
      series: 'apple-health:steps:2026-03-01',
      versionOf: null,
    });
    add.run({
      rowid: 13,
      id: 'o-s2',
      sid: 'apple-health:steps:2026-03-01@2',
      measure: 'steps',
      value: 2300,
      diastolic: null,
      unit: '/d',
      series: 'apple-health:steps:2026-03-01',
      versionOf: 'o-s1',
    });
    const before = old.prepare(`SELECT ${COLUMNS} FROM home_observations ORDER BY rowid`).all();
    old.close();

    const db = openDatabase({ file, key });
    expect(db.prepare(`SELECT ${COLUMNS} FROM home_observations ORDER BY rowid`).all()).toEqual(before);
    const identities = db
      .prepare('SELECT source_record_id AS sid, identity FROM home_observations ORDER BY rowid')
      .all() as { sid: string; identity: number }[];
    expect(identities.map((r) => r.identity)).toEqual(identities.map((r) => identityHash(r.sid)));
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The old table is gone, the new one is indexed by the hash.
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE tbl_name LIKE 'home_observations%'")
      .pluck()
      .all();
    expect(names).toContain('home_observations_identity');
    expect(names).not.toContain('home_observations_051');
    db.close();
  });

  it('refuses a second copy of a stored record, and every REPLACE, UPDATE and DELETE, leaving the row as it was', () => {
    const { db } = openAtVersion(Infinity);
    seedPatientAndImport(db);
    const sid = 'apple-health:hr-0800';
    db.prepare(insertNew).run({ id: 'o1', sid, value: 61, identity: identityHash(sid) });
    const stored = db.prepare('SELECT rowid, * FROM home_observations').all();

    const attempts: [string, () => unknown][] = [
      [
        'a duplicate identity',
        () => db.prepare(insertNew).run({ id: 'o2', sid, value: 99, identity: identityHash(sid) }),
      ],
      [
        'REPLACE on the identity',
        () =>
          db
            .prepare(insertNew.replace('INSERT', 'INSERT OR REPLACE'))
            .run({ id: 'o3', sid, value: 99, identity: identityHash(sid) }),
      ],
      [
        'REPLACE on the id',
        () =>
          db.prepare(insertNew.replace('INSERT', 'INSERT OR REPLACE')).run({
            id: 'o1',
            sid: 'apple-health:other',
            value: 99,
            identity: identityHash('apple-health:other'),
          }),
      ],
      [
        'REPLACE on the rowid',
        () =>
          db
            .prepare(
              `INSERT OR REPLACE INTO home_observations (rowid, id, patient_id, import_id, format, source_record_id, measure, value, unit, effective_start, identity)
          SELECT rowid, 'o4', 'p1', 'i1', 'apple-health', 'apple-health:x', 'heartRate', 99, '/min', '2026-03-01T10:00:00.000Z', 1 FROM home_observations`,
            )
            .run(),
      ],
      ['an UPDATE', () => db.prepare('UPDATE home_observations SET value = 99').run()],
      ['a DELETE', () => db.prepare('DELETE FROM home_observations').run()],
    ];
    for (const [what, attempt] of attempts) {
      expect(attempt, what).toThrow(/append-only/);
      expect(db.prepare('SELECT rowid, * FROM home_observations').all(), what).toEqual(stored);
    }
    db.close();
  });

  it('keeps two different records whose hashes collide', () => {
    const { db } = openAtVersion(Infinity);
    seedPatientAndImport(db);
    const shared = identityHash('apple-health:first');
    db.prepare(insertNew).run({ id: 'o1', sid: 'apple-health:first', value: 61, identity: shared });
    // A second record given the same hash: compared in full, it is a different record and is stored.
    db.prepare(insertNew).run({ id: 'o2', sid: 'apple-health:second', value: 64, identity: shared });
    expect(db.prepare('SELECT source_record_id FROM home_observations ORDER BY id').pluck().all()).toEqual([
      'apple-health:first',
      'apple-health:second',
    ]);
    // The same record in another patient's chart is not a duplicate either.
    seedPatientAndImport(db, 'p2', 'i2', 'MRN-1002');
    db.prepare(insertNew.replace("'p1', 'i1'", "'p2', 'i2'")).run({
      id: 'o3',
      sid: 'apple-health:first',
      value: 61,
      identity: shared,
    });
    expect(db.prepare('SELECT count(*) FROM home_observations').pluck().get()).toBe(3);
    db.close();
  });
});
