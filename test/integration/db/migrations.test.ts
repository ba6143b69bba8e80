/**
 * Migrations run from an empty file and from every earlier version: a file is built with only the
 * migrations up to N, given a row, then opened by the current app; the row survives and every
 * migration is recorded.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../main/db/connection';
import { latestVersion } from '../../../main/db/migrate';
import { migrations } from '../../../main/db/migrations';
import { randomKey, tempDir } from './helpers';

const sorted = [...migrations].sort((a, b) => a.version - b.version);

/** Puts one row in the newest table the schema at this point has, and returns how to find it again. */
function seed(db: Database): (db: Database) => unknown {
  const tables = new Set(
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
  );
  if (!tables.has('patients')) return () => 'no table yet';
  db.prepare(
    `INSERT INTO patients (id, mrn, family, given, birth_date, sex, search_name, created_at, updated_at)
     VALUES ('p1', 'OLD-1', 'Elder', 'Ada', '1940-01-01', 'female', 'elder ada', 't', 't')`,
  ).run();
  if (tables.has('observations'))
    db.prepare(
      `INSERT INTO observations (id, series_id, patient_id, code, kind, value_quantity, unit, effective_at,
         recorded_at, recorded_by, method, status)
       VALUES ('o1', 'o1', 'p1', '8867-4', 'heartRate', 61, '/min', 't', 't', 'n', 'manual', 'final')`,
    ).run();
  return (again) => ({
    patient: again.prepare('SELECT family FROM patients WHERE id = ?').pluck().get('p1'),
    observation: tables.has('observations')
      ? again.prepare('SELECT value_quantity FROM observations WHERE id = ?').pluck().get('o1')
      : null,
  });
}

describe('migrations', () => {
  it('have distinct, increasing versions and names', () => {
    const versions = sorted.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions.every((v) => Number.isInteger(v) && v > 0)).toBe(true);
  });

  it('build the whole schema from an empty file and record each one', () => {
    const file = path.join(tempDir(), 'vitals.db');
    const db = openDatabase({ file, key: randomKey() });
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(migrations));
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(
      sorted.map((m) => m.version),
    );
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  for (let applied = 0; applied < sorted.length; applied++) {
    const upTo = applied === 0 ? 'an empty schema' : `version ${sorted[applied - 1]!.version}`;
    it(`upgrade a file at ${upTo} to the latest, keeping its rows`, () => {
      const file = path.join(tempDir(), 'vitals.db');
      const key = randomKey();
      const old = openDatabase({ file, key, migrations: sorted.slice(0, applied) });
      const readBack = seed(old);
      const before = readBack(old);
      old.close();
      const db = openDatabase({ file, key });
      expect(readBack(db)).toEqual(before);
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(migrations));
      expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(sorted.length);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    });
  }

  it('still runs a lower-numbered migration added after a higher one has run (reserved ranges)', () => {
    const file = path.join(tempDir(), 'vitals.db');
    const key = randomKey();
    const late = {
      version: 19,
      name: 'late-patient-data',
      up: (db: Database) => db.exec('CREATE TABLE late (a)'),
    };
    openDatabase({ file, key }).close();
    const db = openDatabase({ file, key, migrations: [...sorted, late] });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'late'").pluck().get()).toBe('late');
    expect(db.pragma('user_version', { simple: true })).toBe(Math.max(latestVersion(migrations), 19));
    db.close();
  });

  it('roll back a failing migration whole, leaving the version unchanged', () => {
    const file = path.join(tempDir(), 'vitals.db');
    const key = randomKey();
    openDatabase({ file, key }).close();
    const broken = {
      version: 18,
      name: 'broken',
      up: (db: Database) => {
        db.exec('CREATE TABLE half_done (a)');
        throw new Error('migration failed halfway');
      },
    };
    expect(() => openDatabase({ file, key, migrations: [...sorted, broken] })).toThrow(/halfway/);
    const db = openDatabase({ file, key });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM schema_migrations WHERE version = 18').pluck().get()).toBe(0);
    db.close();
  });
});
