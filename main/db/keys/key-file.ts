/**
 * Key kept as hex in a file readable only by the current user (0600). For development, tests and
 * the Chromium host: anyone who can read the file can read the database, hence the warning.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { AppError } from '../../../shared/ipc';
import { newKey, parseHexKey } from './key-material';
import { removeIfPresent, renameDurably, writeSecretFile, writeSecretFileAtomically } from './files';
import type { DbKeyProvider, StagedKey } from './types';

export const KEY_FILE_WARNING =
  'The database key is kept in a file, not in the operating system keychain: use this only for development and tests.';

function assertPrivate(file: string): void {
  // POSIX permissions only; Windows reports 0o666-style modes that mean nothing here.
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new AppError(
      'UNAVAILABLE',
      'The database key file can be read by other users of this computer, so Vitals Desk will not use it. Please ask IT support to restrict it to this user (permissions 600).',
    );
}

export function keyFileProvider(options: { file: string }): DbKeyProvider {
  const { file } = options;
  const staged = `${file}.next`;
  const read = (path: string): Buffer => {
    assertPrivate(path);
    return parseHexKey(readFileSync(path, 'utf8'), 'the key file');
  };
  const stage = async (key: Buffer): Promise<StagedKey> => {
    writeSecretFile(staged, key.toString('hex') + '\n');
    return {
      commit: async () => renameDurably(staged, file),
      discard: async () => removeIfPresent(staged),
    };
  };
  return {
    kind: 'key-file',
    warning: KEY_FILE_WARNING,
    async loadOrCreateKey() {
      if (existsSync(file)) return read(file);
      const key = newKey();
      writeSecretFileAtomically(file, key.toString('hex') + '\n');
      return key;
    },
    stageRotatedKey: stage,
    async storeRotatedKey(key) {
      await (await stage(key)).commit();
    },
    async loadStagedKey() {
      return existsSync(staged) ? read(staged) : undefined;
    },
    async discardStagedKey() {
      removeIfPresent(staged);
    },
    async loadOrCreateAuditKey() {
      const auditFile = `${file}.audit`;
      if (existsSync(auditFile)) return { key: read(auditFile), created: false };
      const key = newKey();
      writeSecretFileAtomically(auditFile, key.toString('hex') + '\n');
      return { key, created: true };
    },
  };
}
