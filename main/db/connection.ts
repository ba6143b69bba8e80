/**
 * Opens the encrypted patient database. Encryption is SQLCipher 4 compatible (SQLite3 Multiple
 * Ciphers, cipher `sqlcipher`, legacy=4), so standard SQLCipher tools can open the file for
 * forensics or migration. The key is set before anything else touches the file, and every check
 * that can refuse the file (wrong key, newer version, damage) runs before the first write.
 */
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/ipc';
import { DB_MESSAGES, toDbAppError } from './errors';
import { assertNotTooNew, migrate } from './migrate';
import { migrations as allMigrations, type Migration } from './migrations';

export type Database = BetterSqlite3.Database;

export const KEY_BYTES = 32;

export interface OpenDatabaseOptions {
  file: string;
  /** 256-bit raw key. */
  key: Buffer;
  /** Path to a better_sqlite3.node built for the running ABI; default: the module's own build. */
  nativeBinding?: string;
  readonly?: boolean;
  /** Migrations to apply; defaults to all. Tests pass a prefix to build an older schema. */
  migrations?: readonly Migration[];
  /** `quick` (default) runs PRAGMA quick_check on open; `none` skips it (benchmarks on big files). */
  integrityCheck?: 'quick' | 'none';
  /** Plain SQLite, same schema: only for the benchmark's encrypted-versus-plain comparison. */
  unencrypted?: boolean;
}

/** The SQLCipher raw-key literal: x'<64 hex>' uses the bytes as the key, with no key derivation. */
function rawKeyLiteral(key: Buffer): string {
  if (key.length !== KEY_BYTES) throw new AppError('DB_KEY_INVALID', DB_MESSAGES.keyInvalid);
  return `"x'${key.toString('hex')}'"`;
}

/** Applies cipher settings and the key; must be the first statements on a fresh connection. */
export function applyKey(db: Database, key: Buffer): void {
  // SQLite3 Multiple Ciphers, "SQLCipher: AES 256 Bit": legacy=4 selects SQLCipher 4 defaults
  // (PBKDF2-HMAC-SHA512 for passphrases, HMAC-SHA512 per page, 4096-byte pages).
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key=${rawKeyLiteral(key)}`);
}

/** Re-encrypts the whole file with a new key. Needs the only connection to the file. */
export function applyRekey(db: Database, key: Buffer): void {
  const literal = rawKeyLiteral(key);
  const mode = String(db.pragma('journal_mode', { simple: true }));
  if (mode === 'wal') db.pragma('journal_mode = DELETE');
  try {
    db.pragma(`rekey=${literal}`);
  } finally {
    if (mode === 'wal') db.pragma('journal_mode = WAL');
  }
}

export function openDatabase(options: OpenDatabaseOptions): Database {
  // No environment variable here: an installed app must not load a native file named from outside
  // (`npm start` hands Electron builds over in main/app/dev-native.ts, in development only).
  const nativeBinding = options.nativeBinding;
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(options.file, {
      readonly: options.readonly ?? false,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
    if (!options.unencrypted) applyKey(db, options.key);
    // Reading the schema decrypts page 1: a wrong key fails here (SQLITE_NOTADB), before any write.
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    const list = options.migrations ?? allMigrations;
    assertNotTooNew(db, list);
    if ((options.integrityCheck ?? 'quick') === 'quick') {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new AppError('DB_CORRUPT', DB_MESSAGES.corrupt);
    }
    if (!options.readonly) {
      // WAL: readers do not block the writer; FULL: a commit is on disk (WAL fsync) before it returns,
      // so an acknowledged observation survives power loss (SQLite docs, "PRAGMA synchronous").
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 32 MiB of decrypted pages kept in memory: a page read from the cache is not decrypted again.
    db.pragma('cache_size = -32768');
    if (!options.readonly) migrate(db, list);
    return db;
  } catch (error) {
    db?.close();
    throw toDbAppError(error) ?? error;
  }
}
