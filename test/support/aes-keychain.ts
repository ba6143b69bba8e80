/**
 * Stands in for the OS keychain (Electron safeStorage), which cannot exist outside Electron:
 * AES-256-GCM under a master key that lives only in the test (and its child processes).
 * A sealed value is the 12-byte IV, the 16-byte tag, then the ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyWrapper } from '../../main/db/keys';

export function aesSeal(master: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws when the value was sealed under another master key or was altered. */
export function aesOpen(master: Buffer, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', master, wrapped.subarray(0, 12));
  decipher.setAuthTag(wrapped.subarray(12, 28));
  return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
}

export function aesKeychain(master: Buffer): KeyWrapper {
  return {
    isAvailable: () => true,
    encrypt: (plain) => aesSeal(master, plain),
    decrypt: (wrapped) => aesOpen(master, wrapped),
  };
}
