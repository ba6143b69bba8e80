/**
 * The production key provider: a random key wrapped by the OS keychain (Electron safeStorage:
 * Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) and stored beside the database.
 * If the keychain is unavailable Vitals Desk refuses to open patient data: never a plaintext key.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/ipc';
import { KEY_BYTES } from '../connection';
import { DB_MESSAGES } from '../errors';
import { removeIfPresent, renameDurably, writeSecretFile, writeSecretFileAtomically } from './files';
import { newKey } from './key-material';
import type { DbKeyProvider, StagedKey } from './types';

export const KEYCHAIN_UNAVAILABLE =
  "The computer's secure key store (keychain) is not available; Vitals Desk will not open patient data without it.";

/** The decrypted key, and whether the keychain asks for it to be wrapped again (its key was rotated). */
export interface Unwrapped {
  plain: Buffer;
  rewrap: boolean;
}

/** The keychain's operations; Electron's safeStorage offers them asynchronously (the sync ones are deprecated). */
export interface KeyWrapper {
  encrypt(plain: Buffer): Buffer | Promise<Buffer>;
  decrypt(wrapped: Buffer): Buffer | Unwrapped | Promise<Buffer | Unwrapped>;
  isAvailable(): boolean | Promise<boolean>;
  /** What to tell the user when the keychain is unavailable, when this platform has more to say. */
  unavailableMessage?: string;
}

export const WRAPPED_KEY_FILE = 'db-key.wrapped';
/** The audit head's signing key, wrapped the same way. */
export const WRAPPED_AUDIT_KEY_FILE = 'audit-key.wrapped';

export function wrappedKeyProvider(options: { dir: string } & KeyWrapper): DbKeyProvider {
  const file = path.join(options.dir, WRAPPED_KEY_FILE);
  const staged = `${file}.next`;
  const requireKeychain = async (): Promise<void> => {
    if (!(await options.isAvailable()))
      throw new AppError('UNAVAILABLE', options.unavailableMessage ?? KEYCHAIN_UNAVAILABLE);
  };
  const unwrap = async (where: string): Promise<Buffer> => {
    let result: Unwrapped;
    try {
      const out = await options.decrypt(readFileSync(where));
      result = Buffer.isBuffer(out) ? { plain: out, rewrap: false } : out;
    } catch {
      // The keychain refused: another user, a reset keychain, or a damaged wrapped key file.
      throw new AppError('DB_KEY_INVALID', DB_MESSAGES.keyInvalid);
    }
    const key = result.plain;
    if (key.length !== KEY_BYTES) throw new AppError('DB_KEY_INVALID', DB_MESSAGES.keyInvalid);
    if (result.rewrap) {
      // Same key, wrapped under the keychain's new key: written beside, then renamed over.
      writeSecretFileAtomically(where, await options.encrypt(key), `${where}.rewrap`);
    }
    return key;
  };
  const stage = async (key: Buffer): Promise<StagedKey> => {
    await requireKeychain();
    writeSecretFile(staged, await options.encrypt(key));
    return {
      commit: async () => renameDurably(staged, file),
      discard: async () => removeIfPresent(staged),
    };
  };
  return {
    kind: 'safe-storage',
    async loadOrCreateKey() {
      await requireKeychain();
      if (existsSync(file)) return unwrap(file);
      const key = newKey();
      writeSecretFileAtomically(file, await options.encrypt(key));
      return key;
    },
    stageRotatedKey: stage,
    async storeRotatedKey(key) {
      await (await stage(key)).commit();
    },
    async loadStagedKey() {
      await requireKeychain();
      return existsSync(staged) ? unwrap(staged) : undefined;
    },
    async discardStagedKey() {
      removeIfPresent(staged);
    },
    async loadOrCreateAuditKey() {
      await requireKeychain();
      const auditFile = path.join(options.dir, WRAPPED_AUDIT_KEY_FILE);
      if (existsSync(auditFile)) return { key: await unwrap(auditFile), created: false };
      const key = newKey();
      writeSecretFileAtomically(auditFile, await options.encrypt(key));
      return { key, created: true };
    },
  };
}
