/**
 * The database key wrapped by Electron's safeStorage through its asynchronous API. safeStorage
 * cannot exist outside Electron, so it is a stand-in: AES-256-GCM under a master key that can be
 * rotated (as the OS keychain may), with the asynchronous calls' shapes from electron.d.ts and the
 * deprecated synchronous calls throwing, so any use of them fails the test.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { describe, expect, it } from 'vitest';
import { safeStorageKeyWrapper } from '../../../main/app/safe-storage-key-wrapper';
import { WRAPPED_KEY_FILE, wrappedKeyProvider } from '../../../main/db/keys';
import { aesOpen, aesSeal } from '../../support/aes-keychain';

// safeStorage seals and opens strings.
const seal = (master: Buffer, text: string): Buffer => aesSeal(master, Buffer.from(text, 'utf8'));
const open = (master: Buffer, wrapped: Buffer): string => aesOpen(master, wrapped).toString('utf8');

/** A keychain whose master key can be rotated; the previous one still decrypts and asks for re-encryption. */
function fakeSafeStorage(backend: ReturnType<SafeStorage['getSelectedStorageBackend']> = 'gnome_libsecret') {
  let current = randomBytes(32);
  let previous: Buffer | undefined;
  const deprecated = () => {
    throw new Error('deprecated synchronous safeStorage call');
  };
  const storage = {
    encryptStringAsync: async (text: string) => seal(current, text),
    decryptStringAsync: async (wrapped: Buffer) => {
      try {
        return { result: open(current, wrapped), shouldReEncrypt: false };
      } catch {
        if (!previous) throw new Error('Error while decrypting the ciphertext provided to safeStorage');
        return { result: open(previous, wrapped), shouldReEncrypt: true };
      }
    },
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: deprecated,
    decryptString: deprecated,
    isEncryptionAvailable: deprecated,
    rotate() {
      previous = current;
      current = randomBytes(32);
    },
    forgetPrevious() {
      previous = undefined;
    },
  };
  return storage;
}

describe('database key through safeStorage’s asynchronous API', () => {
  it('creates, then reads back the same key, never touching the deprecated calls', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-safe-storage-'));
    const storage = fakeSafeStorage();
    const key = await wrappedKeyProvider({
      dir,
      ...safeStorageKeyWrapper(storage, 'linux'),
    }).loadOrCreateKey();
    const again = await wrappedKeyProvider({
      dir,
      ...safeStorageKeyWrapper(storage, 'linux'),
    }).loadOrCreateKey();
    expect(again.equals(key)).toBe(true);
  });

  it('when the keychain rotates its key, the wrapped file is re-encrypted and the database key kept', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-safe-storage-'));
    const storage = fakeSafeStorage();
    const provider = () => wrappedKeyProvider({ dir, ...safeStorageKeyWrapper(storage, 'linux') });
    const key = await provider().loadOrCreateKey();
    const before = readFileSync(path.join(dir, WRAPPED_KEY_FILE));
    storage.rotate();
    expect((await provider().loadOrCreateKey()).equals(key)).toBe(true);
    expect(readFileSync(path.join(dir, WRAPPED_KEY_FILE)).equals(before)).toBe(false);
    // The old keychain key is gone: only a file re-encrypted under the new one still opens.
    storage.forgetPrevious();
    expect((await provider().loadOrCreateKey()).equals(key)).toBe(true);
  });

  it('Linux without a keyring (basic_text) refuses to create or open a key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-safe-storage-'));
    const wrapper = safeStorageKeyWrapper(fakeSafeStorage('basic_text'), 'linux');
    await expect(wrappedKeyProvider({ dir, ...wrapper }).loadOrCreateKey()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      // What the sign-in banner shows: what is missing and what IT installs.
      message: expect.stringMatching(/GNOME Keyring or KWallet.*--password-store/),
    });
  });

  it('on Windows and macOS the message stays the plain one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-safe-storage-'));
    const storage = { ...fakeSafeStorage(), isAsyncEncryptionAvailable: async () => false };
    const wrapper = safeStorageKeyWrapper(storage, 'win32');
    await expect(wrappedKeyProvider({ dir, ...wrapper }).loadOrCreateKey()).rejects.toMatchObject({
      message: expect.not.stringMatching(/KWallet/),
    });
  });
});
