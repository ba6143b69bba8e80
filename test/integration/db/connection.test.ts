import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/connection';
import { patientRepository } from '../../../main/db/repositories/patients';
import { AppError } from '../../../shared/ipc';
import { randomKey, sha256, tempDir } from './helpers';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
  return undefined;
}

describe('openDatabase', () => {
  it('opens a new file with the key, in WAL mode with full sync and foreign keys', () => {
    const file = path.join(tempDir(), 'vitals.db');
    const db = openDatabase({ file, key: randomKey() });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('cipher', { simple: true })).toBe('sqlcipher');
    db.close();
  });

  it('keeps no plaintext in the file, and plain SQLite cannot read it', () => {
    const file = path.join(tempDir(), 'vitals.db');
    const key = randomKey();
    const db = openDatabase({ file, key });
    db.exec("CREATE TABLE note (text TEXT); INSERT INTO note VALUES ('Zebediah Quartermaine')");
    db.close();
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from('Zebediah'))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    const plain = new BetterSqlite3(file);
    expect(() => plain.prepare('SELECT * FROM note').all()).toThrow(/not a database/);
    plain.close();
    const again = openDatabase({ file, key });
    expect(again.prepare('SELECT text FROM note').pluck().get()).toBe('Zebediah Quartermaine');
    again.close();
  });

  it('keeps a registered patient out of the .db and -wal bytes, before and after a checkpoint', () => {
    const dir = tempDir();
    const file = path.join(dir, 'vitals.db');
    const key = randomKey();
    const db = openDatabase({ file, key });
    patientRepository(db).registerPatient({
      mrn: 'PLAIN-7',
      family: 'Quenneville',
      given: 'Bartholomew',
      birthDate: '1944-02-29',
      sex: 'male',
    });
    const leaks = (): string[] =>
      [file, `${file}-wal`]
        .filter((f) => existsSync(f))
        .flatMap((f) => {
          const bytes = readFileSync(f);
          return ['Quenneville', 'Bartholomew', 'PLAIN-7', '1944-02-29']
            .filter((text) => bytes.includes(Buffer.from(text)))
            .map((text) => `${path.basename(f)}: ${text}`);
        });
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    expect(leaks()).toEqual([]);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(leaks()).toEqual([]);
    db.close();
    expect(leaks()).toEqual([]);
    // The sqlite3 command-line tool, without the key, cannot read it either (when it is installed).
    const cli = spawnSync('sqlite3', [file, 'SELECT family FROM patients'], { encoding: 'utf8' });
    if (cli.error) console.warn(`sqlite3 command-line check skipped: ${cli.error.message}`);
    else {
      expect(cli.status).not.toBe(0);
      expect(cli.stderr).toMatch(/not a database/);
    }
  });

  it('refuses a wrong key with DB_KEY_INVALID and leaves the file byte-for-byte unchanged', () => {
    const file = path.join(tempDir(), 'vitals.db');
    const db = openDatabase({ file, key: randomKey() });
    db.exec('CREATE TABLE t (a INTEGER)');
    db.close();
    const before = sha256(file);
    expect(codeOf(() => openDatabase({ file, key: randomKey() }))).toBe('DB_KEY_INVALID');
    expect(sha256(file)).toBe(before);
  });
});
