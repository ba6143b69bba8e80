/**
 * A key rotation's audit record is in force exactly when the new key is: written into the re-encrypted
 * copy before its rename, so a rotation that fails before the rename leaves neither, and one that
 * stops after it (only recording the key failed) leaves both. The record here is a row in a table of
 * its own, as the audit store's append is a row in audit_log (the core's test writes the real one).
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../main/db/connection';
import { keyFileProvider } from '../../../main/db/keys';
import {
  ROTATING_SUFFIX,
  ROTATION_NOT_RECORDED,
  rotateKey,
  type RotationFailure,
} from '../../../main/db/rotate-key';
import { swappableDatabase } from '../../../main/db/swappable';
import { tempDir } from './helpers';

async function rotation() {
  const dir = tempDir('vd-rotation-record-');
  const provider = keyFileProvider({ file: path.join(dir, 'k') });
  const key = await provider.loadOrCreateKey();
  const file = path.join(dir, 'vitals.db');
  const handle = swappableDatabase(openDatabase({ file, key }));
  handle.db.exec("CREATE TABLE records (what TEXT); INSERT INTO records VALUES ('before')");
  let inForce = key;
  const rotate = (options: { failAt?: RotationFailure; record?: (copy: Database) => void } = {}) =>
    rotateKey({
      file,
      handle,
      provider,
      currentKey: inForce,
      open: (k) => openDatabase({ file, key: k }),
      keyInForce: (k) => (inForce = k),
      record: (copy) => copy.prepare("INSERT INTO records VALUES ('rotated')").run(),
      ...options,
    });
  /** The records of the file in force, read under the key in force. */
  const records = () => handle.db.prepare('SELECT what FROM records ORDER BY rowid').pluck().all();
  return { provider, key, file, handle, rotate, records, inForce: () => inForce };
}

describe('the rotation and its audit record', () => {
  it('a rotation that succeeds puts its record in force with the new key, once', async () => {
    const r = await rotation();
    await r.rotate();
    expect(r.inForce().equals(r.key)).toBe(false);
    expect(r.records()).toEqual(['before', 'rotated']);
    expect((await r.provider.loadOrCreateKey()).equals(r.inForce())).toBe(true);
    r.handle.current().close();
  });

  it('a record that cannot be written stops the rotation: old key, old file, no record, no copy', async () => {
    const r = await rotation();
    await expect(
      r.rotate({
        record: () => {
          throw new Error('audit refused (test)');
        },
      }),
    ).rejects.toThrow('audit refused (test)');
    expect(r.inForce().equals(r.key)).toBe(true);
    expect(r.records()).toEqual(['before']);
    expect(existsSync(`${r.file}${ROTATING_SUFFIX}`)).toBe(false);
    expect(await r.provider.loadStagedKey()).toBeUndefined();
    expect((await r.provider.loadOrCreateKey()).equals(r.key)).toBe(true);
    r.handle.current().close();
  });

  it('a rotation that fails at its rename, after the record was written into the copy, leaves no record', async () => {
    const r = await rotation();
    await expect(r.rotate({ failAt: 'rename' })).rejects.toThrow('rename failed (test)');
    expect(r.inForce().equals(r.key)).toBe(true);
    expect(r.records()).toEqual(['before']);
    r.handle.current().close();
    // What a restart opens: the old key, the file without the record.
    const again = openDatabase({ file: r.file, key: r.key });
    expect(again.prepare('SELECT what FROM records ORDER BY rowid').pluck().all()).toEqual(['before']);
    again.close();
  });

  it('when only recording the key fails, the file in force is rotated and holds the record', async () => {
    const r = await rotation();
    await expect(r.rotate({ failAt: 'commit' })).rejects.toThrow(ROTATION_NOT_RECORDED);
    expect(r.inForce().equals(r.key)).toBe(false);
    expect(r.records()).toEqual(['before', 'rotated']);
    // The staged key, which the next start commits, opens it.
    expect((await r.provider.loadStagedKey())?.equals(r.inForce())).toBe(true);
    r.handle.current().close();
  });
});
