/**
 * Key providers and key rotation on real files. The OS keychain (Electron safeStorage) cannot exist
 * here: the wrapped-key provider is given an AES-GCM wrapper with a test key in its place.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/connection';
import {
  envKeyProvider,
  keyFileProvider,
  KEYCHAIN_UNAVAILABLE,
  memoryKeyProvider,
  wrappedKeyProvider,
  WRAPPED_KEY_FILE,
  type KeyWrapper,
} from '../../../main/db/keys';
import { openPatientDatabase } from '../../../main/db/patient-database';
import {
  rotateKey,
  ROTATING_SUFFIX,
  ROTATION_NOT_RECORDED,
  type RotationFailure,
} from '../../../main/db/rotate-key';
import { swappableDatabase } from '../../../main/db/swappable';
import { memoryLogger } from '../../../main/logging/logger';
import { AppError } from '../../../shared/ipc';
import { tempDir } from './helpers';
import { aesKeychain } from '../../support/aes-keychain';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
  return 'no error';
}

/** Stands in for safeStorage: the shared AES-GCM test keychain, reporting itself present or not. */
function testKeychain(available = true): KeyWrapper {
  return { ...aesKeychain(randomBytes(32)), isAvailable: () => available };
}

describe('key-file provider', () => {
  it('creates a random 256-bit key in a 0600 file, returns the same key after, and warns', async () => {
    const file = path.join(tempDir(), 'dev-db.key');
    const provider = keyFileProvider({ file });
    const key = await provider.loadOrCreateKey();
    expect(key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await keyFileProvider({ file }).loadOrCreateKey()).equals(key)).toBe(true);
    expect(provider.warning).toMatch(/not in the operating system keychain/);
  });

  it('refuses a key file other users can read', async () => {
    const file = path.join(tempDir(), 'dev-db.key');
    await keyFileProvider({ file }).loadOrCreateKey();
    chmodSync(file, 0o644);
    expect(await codeOf(keyFileProvider({ file }).loadOrCreateKey())).toBe('UNAVAILABLE');
  });
});

describe('env provider', () => {
  it('takes 64 hex characters and refuses anything else, and cannot rotate', async () => {
    const hex = randomBytes(32).toString('hex');
    expect((await envKeyProvider('K', { K: hex }).loadOrCreateKey()).toString('hex')).toBe(hex);
    expect(await codeOf(envKeyProvider('K', { K: 'abc' }).loadOrCreateKey())).toBe('DB_KEY_INVALID');
    expect(await codeOf(envKeyProvider('K', {}).loadOrCreateKey())).toBe('UNAVAILABLE');
    expect(await codeOf(envKeyProvider('K', { K: hex }).storeRotatedKey(randomBytes(32)))).toBe(
      'UNAVAILABLE',
    );
  });
});

describe('wrapped (keychain) provider', () => {
  it('stores only the wrapped key beside the database and unwraps it on the next start', async () => {
    const dir = tempDir();
    const keychain = testKeychain();
    const key = await wrappedKeyProvider({ dir, ...keychain }).loadOrCreateKey();
    const stored = readFileSync(path.join(dir, WRAPPED_KEY_FILE));
    expect(stored.includes(key)).toBe(false);
    expect(stored.toString('latin1').includes(key.toString('hex'))).toBe(false);
    expect((await wrappedKeyProvider({ dir, ...keychain }).loadOrCreateKey()).equals(key)).toBe(true);
  });

  it('refuses to start without the keychain, with the nurse-readable sentence, and writes nothing', async () => {
    const dir = tempDir();
    const provider = wrappedKeyProvider({ dir, ...testKeychain(false) });
    await expect(provider.loadOrCreateKey()).rejects.toThrow(KEYCHAIN_UNAVAILABLE);
    expect(await codeOf(provider.loadOrCreateKey())).toBe('UNAVAILABLE');
    expect(existsSync(path.join(dir, WRAPPED_KEY_FILE))).toBe(false);
  });

  it('reports a wrapped key the keychain cannot unwrap as DB_KEY_INVALID', async () => {
    const dir = tempDir();
    await wrappedKeyProvider({ dir, ...testKeychain() }).loadOrCreateKey();
    expect(await codeOf(wrappedKeyProvider({ dir, ...testKeychain() }).loadOrCreateKey())).toBe(
      'DB_KEY_INVALID',
    );
  });
});

describe('key rotation', () => {
  it('re-encrypts the file with a new key that the provider then holds', async () => {
    const dir = tempDir();
    const provider = wrappedKeyProvider({ dir, ...testKeychain() });
    const opened = await openPatientDatabase({ dataDir: dir, keyProvider: provider, logger: memoryLogger() });
    opened.db.exec("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('kept')");
    const oldKey = await provider.loadOrCreateKey();
    await opened.rotateKey();
    opened.close();
    const newKey = await provider.loadOrCreateKey();
    expect(newKey.equals(oldKey)).toBe(false);
    expect(await codeOf(Promise.resolve().then(() => openDatabase({ file: opened.file, key: oldKey })))).toBe(
      'DB_KEY_INVALID',
    );
    const db = openDatabase({ file: opened.file, key: newKey });
    expect(db.prepare('SELECT a FROM t').pluck().get()).toBe('kept');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  /** A database with one row behind the app's swappable handle, and a rotation with a chosen failure. */
  async function handleWithRow() {
    const dir = tempDir();
    const provider = keyFileProvider({ file: path.join(dir, 'k') });
    const key = await provider.loadOrCreateKey();
    const file = path.join(dir, 'vitals.db');
    const handle = swappableDatabase(openDatabase({ file, key }));
    handle.db.exec("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('kept')");
    // Prepared before the rotation, as the repositories are at start-up.
    const read = handle.db.prepare('SELECT a FROM t ORDER BY rowid').pluck();
    const insert = handle.db.prepare('INSERT INTO t VALUES (?)');
    let inForce = key;
    const rotate = (failAt?: RotationFailure) =>
      rotateKey({
        file,
        handle,
        provider,
        currentKey: inForce,
        open: (k) => openDatabase({ file, key: k }),
        keyInForce: (k) => (inForce = k),
        ...(failAt ? { failAt } : {}),
      });
    return { dir, provider, key, file, handle, read, insert, rotate, inForce: () => inForce };
  }

  for (const failAt of ['copy', 'rename'] as const) {
    it(`leaves the old key and file in force when the rotation fails at its ${failAt}`, async () => {
      const r = await handleWithRow();
      expect(await codeOf(r.rotate(failAt))).toMatch(/not an AppError/);
      // The app carries on: statements prepared before still read and write, in WAL mode.
      r.insert.run('after');
      expect(r.read.all()).toEqual(['kept', 'after']);
      expect(r.handle.db.pragma('journal_mode', { simple: true })).toBe('wal');
      r.handle.current().close();
      expect((await r.provider.loadOrCreateKey()).equals(r.key)).toBe(true);
      expect(await r.provider.loadStagedKey()).toBeUndefined();
      expect(existsSync(`${r.file}${ROTATING_SUFFIX}`)).toBe(false);
      const again = openDatabase({ file: r.file, key: r.key });
      expect(again.prepare('SELECT a FROM t ORDER BY rowid').pluck().all()).toEqual(['kept', 'after']);
      again.close();
    });
  }

  it('keeps working under the new key when only recording it fails, and records it at the next start', async () => {
    const r = await handleWithRow();
    await expect(r.rotate('commit')).rejects.toThrow(ROTATION_NOT_RECORDED);
    const next = r.inForce();
    expect(next.equals(r.key)).toBe(false);
    r.insert.run('after');
    expect(r.read.all()).toEqual(['kept', 'after']);
    r.handle.current().close();
    // The record still names the old key; the staged one is the key that opens the file.
    expect((await r.provider.loadOrCreateKey()).equals(r.key)).toBe(true);
    expect((await r.provider.loadStagedKey())?.equals(next)).toBe(true);
    const logger = memoryLogger();
    const reopened = await openPatientDatabase({ dataDir: r.dir, keyProvider: r.provider, logger });
    expect(reopened.db.prepare('SELECT a FROM t ORDER BY rowid').pluck().all()).toEqual(['kept', 'after']);
    expect((await r.provider.loadOrCreateKey()).equals(next)).toBe(true);
    expect(await r.provider.loadStagedKey()).toBeUndefined();
    expect(logger.records.map((rec) => rec.event)).toContain('db.key_rotation_recovered');
    reopened.close();
  });

  it('rotates under a live app: statements and transactions prepared before keep working, on the new file', async () => {
    const r = await handleWithRow();
    const addTwo = r.handle.db.transaction((a: string, b: string) => {
      r.insert.run(a);
      r.insert.run(b);
    });
    await r.rotate();
    addTwo.immediate('one', 'two');
    addTwo('three', 'four');
    expect(r.read.all()).toEqual(['kept', 'one', 'two', 'three', 'four']);
    r.handle.current().close();
    const recorded = await r.provider.loadOrCreateKey();
    expect(recorded.equals(r.inForce())).toBe(true);
    expect(await codeOf(Promise.resolve().then(() => openDatabase({ file: r.file, key: r.key })))).toBe(
      'DB_KEY_INVALID',
    );
    const again = openDatabase({ file: r.file, key: recorded });
    expect(again.prepare('SELECT count(*) FROM t').pluck().get()).toBe(5);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
  });

  it('memory provider rotates too (tests use it with the core)', async () => {
    const provider = memoryKeyProvider();
    const key = await provider.loadOrCreateKey();
    await provider.storeRotatedKey(randomBytes(32));
    expect(provider.current()?.equals(key)).toBe(false);
  });
});

describe('key rotation interrupted before the rekey', () => {
  it('forgets the staged key at the next open and keeps using the current one', async () => {
    const dir = tempDir();
    const provider = keyFileProvider({ file: path.join(dir, 'k') });
    const opened = await openPatientDatabase({ dataDir: dir, keyProvider: provider, logger: memoryLogger() });
    const current = await provider.loadOrCreateKey();
    await provider.stageRotatedKey(randomBytes(32)); // step 1 only, then a "crash"
    opened.close();
    const reopened = await openPatientDatabase({
      dataDir: dir,
      keyProvider: provider,
      logger: memoryLogger(),
    });
    expect(await provider.loadStagedKey()).toBeUndefined();
    expect((await provider.loadOrCreateKey()).equals(current)).toBe(true);
    reopened.close();
  });
});
