/**
 * The app's database handle across a change of connection (what key rotation does): statements and
 * transactions made before keep their modes and work on the new connection; reads see the new file.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/connection';
import { memoryKeyProvider } from '../../../main/db/keys';
import { openPatientDatabase } from '../../../main/db/patient-database';
import { swappableDatabase } from '../../../main/db/swappable';
import { memoryLogger } from '../../../main/logging/logger';
import { randomKey, tempDir } from './helpers';

function twoFiles() {
  const dir = tempDir();
  const open = (name: string, rows: string[]) => {
    const db = openDatabase({ file: path.join(dir, name), key: randomKey(), migrations: [] });
    db.exec('CREATE TABLE t (a TEXT)');
    for (const row of rows) db.prepare('INSERT INTO t VALUES (?)').run(row);
    return db;
  };
  return { first: open('a.db', ['a1']), second: open('b.db', ['b1', 'b2']) };
}

describe('swappable database handle', () => {
  it('replays pluck, raw and bind on the new connection and reads the new file', () => {
    const { first, second } = twoFiles();
    const handle = swappableDatabase(first);
    const plucked = handle.db.prepare('SELECT a FROM t ORDER BY rowid').pluck();
    const raw = handle.db.prepare('SELECT a, rowid FROM t ORDER BY rowid').raw();
    const bound = handle.db.prepare('SELECT count(*) AS n FROM t WHERE a LIKE ?').bind('b%');
    expect(plucked.all()).toEqual(['a1']);
    expect(raw.all()).toEqual([['a1', 1]]);
    expect(bound.get()).toEqual({ n: 0 });
    expect(handle.swap(second)).toBe(first);
    expect(handle.current()).toBe(second);
    expect(plucked.all()).toEqual(['b1', 'b2']);
    expect(raw.all()).toEqual([
      ['b1', 1],
      ['b2', 2],
    ]);
    expect(bound.get()).toEqual({ n: 2 });
    expect(plucked.reader).toBe(true);
    // pluck(false) given after the swap is kept too.
    expect(plucked.pluck(false).get()).toEqual({ a: 'b1' });
    first.close();
    second.close();
  });

  it('runs transactions made before the swap on the new connection, each kind, rolling back on error', () => {
    const { first, second } = twoFiles();
    const handle = swappableDatabase(first);
    const insert = handle.db.prepare('INSERT INTO t VALUES (?)');
    const addBoth = handle.db.transaction((x: string, y: string) => {
      insert.run(x);
      if (y === 'fail') throw new Error('no');
      insert.run(y);
    });
    handle.swap(second);
    addBoth('c1', 'c2');
    addBoth.immediate('d1', 'd2');
    addBoth.exclusive('e1', 'e2');
    addBoth.deferred('f1', 'f2');
    expect(() => addBoth('g1', 'fail')).toThrow('no');
    const count = (db: typeof first) => db.prepare('SELECT count(*) FROM t').pluck().get();
    expect(count(second)).toBe(10);
    expect(count(first)).toBe(1);
    expect(handle.db.inTransaction).toBe(false);
    first.close();
    second.close();
  });

  it('refuses a second key change while one is running', async () => {
    const opened = await openPatientDatabase({
      dataDir: tempDir(),
      keyProvider: memoryKeyProvider(),
      logger: memoryLogger(),
    });
    const one = opened.rotateKey();
    await expect(opened.rotateKey()).rejects.toMatchObject({ code: 'CONFLICT' });
    await one;
    opened.close();
  });
});
