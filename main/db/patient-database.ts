/**
 * The patient database as the core owns it: the key from the provider, the file in the data
 * directory, recovery of an interrupted key rotation, and rotation itself.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/ipc';
import type { Logger } from '../logging/logger';
import { openDatabase, type Database, type OpenDatabaseOptions } from './connection';
import type { DbKeyProvider } from './keys/types';
import { toDbAppError } from './errors';
import { restrictDatabaseFiles } from './permissions';
import { rotateKey } from './rotate-key';

export const DATABASE_FILE = 'vitals.db';

export interface PatientDatabase {
  readonly db: Database;
  readonly file: string;
  /** Re-encrypts the file with a new random key and stores that key with the provider. */
  rotateKey(): Promise<void>;
  close(): void;
}

export async function openPatientDatabase(options: {
  dataDir: string;
  keyProvider: DbKeyProvider;
  logger: Logger;
  open?: Partial<Omit<OpenDatabaseOptions, 'file' | 'key'>>;
}): Promise<PatientDatabase> {
  const { keyProvider, logger } = options;
  const file = path.join(options.dataDir, DATABASE_FILE);
  if (keyProvider.warning)
    logger.warn('db.key_provider', { kind: keyProvider.kind, warning: keyProvider.warning });
  try {
    // The data directory holds patient data: this user only.
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    restrictDatabaseFiles(options.dataDir, file);
  } catch (error) {
    throw toDbAppError(error) ?? error;
  }
  let key = await keyProvider.loadOrCreateKey();
  let db: Database;
  try {
    db = openDatabase({ ...options.open, file, key });
  } catch (error) {
    const staged =
      error instanceof AppError && error.code === 'DB_KEY_INVALID'
        ? await keyProvider.loadStagedKey()
        : undefined;
    if (!staged) throw error;
    // A rotation was interrupted after the rekey: the file already uses the staged key.
    db = openDatabase({ ...options.open, file, key: staged });
    await keyProvider.storeRotatedKey(staged);
    key = staged;
    logger.warn('db.key_rotation_recovered');
  }
  try {
    // Opening in WAL mode may have created the -wal and -shm files: this user only, like the file.
    restrictDatabaseFiles(options.dataDir, file);
  } catch (error) {
    db.close();
    throw toDbAppError(error) ?? error;
  }
  // A staged key left by a rotation that failed before its rekey is not in force: forget it.
  if (await keyProvider.loadStagedKey()) await keyProvider.discardStagedKey();
  logger.info('db.opened', { provider: keyProvider.kind });
  let closed = false;
  return {
    db,
    file,
    async rotateKey() {
      key = await rotateKey({ db, provider: keyProvider, currentKey: key });
      logger.info('db.key_rotated');
    },
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
