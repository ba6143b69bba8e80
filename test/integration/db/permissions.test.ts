/**
 * The data folder is 0700 and vitals.db with its -wal and -shm files 0600, at every start: the test
 * loosens each one (as a copy, a restore or a wide umask would) and starts again.
 */
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyKey } from '../../../main/db/connection';
import { memoryKeyProvider } from '../../../main/db/keys';
import { DATABASE_FILE, openPatientDatabase } from '../../../main/db/patient-database';
import { memoryLogger } from '../../../main/logging/logger';
import { tempDir } from './helpers';

const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe.skipIf(process.platform === 'win32')('patient data permissions', () => {
  it('creates the folder 0700 and the database, WAL and shared-memory files 0600', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const opened = await openPatientDatabase({
      dataDir,
      keyProvider: memoryKeyProvider(),
      logger: memoryLogger(),
    });
    opened.db.exec('CREATE TABLE t (a TEXT); INSERT INTO t VALUES (1)');
    const file = path.join(dataDir, DATABASE_FILE);
    expect(modeOf(dataDir)).toBe(0o700);
    for (const f of [file, `${file}-wal`, `${file}-shm`])
      expect({ f: path.basename(f), mode: modeOf(f) }).toEqual({ f: path.basename(f), mode: 0o600 });
    opened.close();
  });

  it('closes them again at the next start after they were loosened, keeping the data', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const keys = memoryKeyProvider();
    const first = await openPatientDatabase({ dataDir, keyProvider: keys, logger: memoryLogger() });
    first.db.exec("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('kept')");
    first.close();
    const file = path.join(dataDir, DATABASE_FILE);
    // Another process still has the file open in WAL mode (as after a crash), so -wal and -shm exist.
    const other = new BetterSqlite3(file);
    applyKey(other, keys.current()!);
    other.pragma('journal_mode = WAL');
    other.exec("INSERT INTO t VALUES ('in the wal')");
    expect(existsSync(`${file}-wal`) && existsSync(`${file}-shm`)).toBe(true);
    chmodSync(dataDir, 0o755);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodSync(f, 0o644);

    const again = await openPatientDatabase({ dataDir, keyProvider: keys, logger: memoryLogger() });
    expect(modeOf(dataDir)).toBe(0o700);
    for (const f of [file, `${file}-wal`, `${file}-shm`])
      expect({ f: path.basename(f), mode: modeOf(f) }).toEqual({ f: path.basename(f), mode: 0o600 });
    expect(again.db.prepare('SELECT a FROM t ORDER BY rowid').pluck().all()).toEqual(['kept', 'in the wal']);
    other.close();
    again.close();
  });

  it('closes a group- or world-writable folder too', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const keys = memoryKeyProvider();
    (await openPatientDatabase({ dataDir, keyProvider: keys, logger: memoryLogger() })).close();
    chmodSync(dataDir, 0o777);
    chmodSync(path.join(dataDir, DATABASE_FILE), 0o666);
    (await openPatientDatabase({ dataDir, keyProvider: keys, logger: memoryLogger() })).close();
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, DATABASE_FILE))).toBe(0o600);
  });
});
