/**
 * The patient database as the core owns it: the key from the provider, the file in the data
 * directory, recovery of an interrupted key rotation, and rotation itself.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/ipc';
import type { AuditHeadKey } from '../audit/head';
import type { Logger } from '../logging/logger';
import { openDatabase, type Database, type OpenDatabaseOptions } from './connection';
import type { DbKeyProvider } from './keys/types';
import { DB_MESSAGES, toDbAppError } from './errors';
import { restrictDatabaseFiles } from './permissions';
import { removeRotationLeftovers, rotateKey } from './rotate-key';
import { swappableDatabase } from './swappable';

export const DATABASE_FILE = 'vitals.db';

/** Rotation replaces the file under every open connection: it waits for no worker and none may start. */
export const IMPORT_RUNNING_MESSAGE = 'An import is running — try again when it finishes.';
export const ROTATION_RUNNING_MESSAGE =
  'The database key is being changed — try the import again when it finishes.';

/** A worker thread's own connection to the file, held until `release` (the worker has ended). */
export interface WorkerConnectionLease {
  file: string;
  key: Buffer;
  /** Signs the audit trail's head: a worker writes its change's audit record in the change's transaction. */
  auditKey: Buffer;
  nativeBinding?: string;
  release(): void;
}

export interface PatientDatabase {
  readonly db: Database;
  readonly file: string;
  /** What the audit store needs to sign the trail's head (see createAuditStore). */
  readonly auditHead: AuditHeadKey;
  /**
   * Re-encrypts the file with a new random key and stores that key with the provider. `record` writes
   * the rotation's audit record into the re-encrypted copy before it is put in force (see rotate-key):
   * if it throws, nothing is changed.
   */
  rotateKey(record?: (copy: Database) => void): Promise<void>;
  /**
   * How a worker thread of this process opens its own connection (the home-data import); the key stays
   * in the process. Refused while the key is being changed; while one is held, rotation is refused.
   */
  workerConnection(): WorkerConnectionLease;
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
  // A copy left by a rotation interrupted before its rename is not in force.
  removeRotationLeftovers(file);
  const isNewFile = !existsSync(file);
  const openUnder = (key: Buffer): Database => openDatabase({ ...options.open, file, key });
  let key = await keyProvider.loadOrCreateKey();
  let db: Database;
  try {
    db = openUnder(key);
  } catch (error) {
    const staged =
      error instanceof AppError && error.code === 'DB_KEY_INVALID'
        ? await keyProvider.loadStagedKey()
        : undefined;
    if (!staged) throw error;
    // A rotation was interrupted after its rename: the file is already under the staged key.
    db = openUnder(staged);
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
  let auditHead: AuditHeadKey;
  try {
    const audit = await keyProvider.loadOrCreateAuditKey();
    // A head may be signed from scratch only for a new file, or when its key is new too (the first
    // start of the version that anchors the head); otherwise an unsigned head is a tampered one.
    auditHead = { key: audit.key, mayStart: isNewFile || audit.created };
  } catch (error) {
    db.close();
    throw error;
  }
  // A staged key left by a rotation that stopped before its rename is not in force: forget it.
  if (await keyProvider.loadStagedKey()) await keyProvider.discardStagedKey();
  logger.info('db.opened', { provider: keyProvider.kind });
  let closed = false;
  const handle = swappableDatabase(db);
  let rotating = false;
  // Worker connections open now: a rotation would rename a new file under them, and their writes
  // (or their key) would no longer be the file's.
  let workers = 0;
  return {
    db: handle.db,
    file,
    auditHead,
    async rotateKey(record) {
      if (closed) throw new AppError('UNAVAILABLE', DB_MESSAGES.unavailable);
      if (rotating) throw new AppError('CONFLICT', 'The database key is already being changed.');
      if (workers > 0) throw new AppError('CONFLICT', IMPORT_RUNNING_MESSAGE);
      rotating = true;
      try {
        await rotateKey({
          file,
          handle,
          provider: keyProvider,
          currentKey: key,
          open: openUnder,
          keyInForce: (next) => (key = next),
          ...(record ? { record } : {}),
          ...(options.open?.nativeBinding ? { nativeBinding: options.open.nativeBinding } : {}),
        });
      } finally {
        rotating = false;
      }
      // Opening the new file may have created its -wal and -shm: this user only.
      restrictDatabaseFiles(options.dataDir, file);
      logger.info('db.key_rotated');
    },
    workerConnection() {
      if (closed) throw new AppError('UNAVAILABLE', DB_MESSAGES.unavailable);
      if (rotating) throw new AppError('CONFLICT', ROTATION_RUNNING_MESSAGE);
      workers += 1;
      let released = false;
      return {
        file,
        key: Buffer.from(key),
        auditKey: Buffer.from(auditHead.key),
        ...(options.open?.nativeBinding ? { nativeBinding: options.open.nativeBinding } : {}),
        release() {
          if (released) return;
          released = true;
          workers -= 1;
        },
      };
    },
    close() {
      if (closed) return;
      closed = true;
      handle.current().close();
    },
  };
}
