/**
 * Key rotation (admin action) that survives a power cut at any instant. The file in force is never
 * re-encrypted in place (an interrupted `PRAGMA rekey` can leave pages under both keys, which neither
 * opens). Instead:
 *  1. the new key is wrapped and written, synced, as the staged key beside the current one;
 *  2. the journal switches to DELETE, which checkpoints and removes the WAL, so the file alone holds
 *     every committed row;
 *  3. `VACUUM INTO` writes a copy (`vitals.db.rotating`) under the current key; that copy, never in
 *     force, is re-encrypted under the new key, checked (`integrity_check`, the same rows in every
 *     table), given the rotation's audit record and synced;
 *  4. the connection closes, the copy is renamed over the file (atomic) and the folder synced, and a
 *     connection to the new file takes the old one's place;
 *  5. the staged key is committed as the current one (an atomic rename).
 * At every instant one (file, key) pair opens: up to 4 the file is under the current key; between 4
 * and 5 it is under the staged key, which the next start tries when the current key does not open the
 * file, and then commits (see openPatientDatabase); after 5 the current key opens it. A copy left by
 * an interrupted rotation is removed at the next start. Every step up to 5 is synchronous, so no
 * other statement runs on the connection between the copy and the rename.
 * The audit record is written into the copy only: it is in force exactly when the new key is. A
 * record that cannot be written stops the rotation before the rename (nothing changed, no record);
 * a rotation that stops later leaves no copy, so no record says "rotated" for a key not in force.
 */
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/ipc';
import { applyKey, applyRekey, type Database } from './connection';
import { toDbAppError } from './errors';
import { removeIfPresent, renameDurably, syncDirectory } from './keys/files';
import { newKey } from './keys/key-material';
import type { DbKeyProvider } from './keys/types';
import { PRIVATE_FILE_MODE, SIDE_FILES } from './permissions';
import type { SwappableDatabase } from './swappable';

export const ROTATING_SUFFIX = '.rotating';

/** Test seam: fails the chosen step to prove what is left behind. */
export type RotationFailure = 'copy' | 'rename' | 'commit';

export const ROTATION_NOT_RECORDED =
  'The database now uses a new key, but this computer could not record it as the current one. Vitals Desk will record it at the next start; patient data is safe.';

/** Removes a copy left by a rotation that did not reach its rename. */
export function removeRotationLeftovers(file: string): void {
  const copy = `${file}${ROTATING_SUFFIX}`;
  removeIfPresent(copy);
  for (const suffix of SIDE_FILES) removeIfPresent(`${copy}${suffix}`);
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Rows per table: the copy must hold exactly what the file held. */
function rowCounts(db: Database): string {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  // Names come from sqlite_master and are quoted as identifiers.
  const counts = tables.map((t) => [
    t,
    db
      .prepare(`SELECT count(*) FROM "${t.replace(/"/g, '""')}"`)
      .pluck()
      .get(),
  ]);
  return JSON.stringify(counts);
}

function rawConnection(file: string, nativeBinding: string | undefined): Database {
  return new BetterSqlite3(file, nativeBinding ? { nativeBinding } : {});
}

/** Writes `copy`: what `db` holds now, under `next`, checked and synced. `db` must have no WAL. */
function writeRotatedCopy(options: {
  db: Database;
  copy: string;
  currentKey: Buffer;
  next: Buffer;
  nativeBinding: string | undefined;
  record: ((copy: Database) => void) | undefined;
}): void {
  const { db, copy, currentKey, next, nativeBinding } = options;
  const expected = rowCounts(db);
  // VACUUM INTO writes a consistent snapshot, encrypted like its source (SQLite3 Multiple Ciphers).
  db.prepare('VACUUM INTO ?').run(copy);
  chmodSync(copy, PRIVATE_FILE_MODE);
  const target = rawConnection(copy, nativeBinding);
  try {
    applyKey(target, currentKey);
    // The copy is not in force, so re-encrypting it in place risks nothing.
    applyRekey(target, next);
  } finally {
    target.close();
  }
  const check = rawConnection(copy, nativeBinding);
  try {
    applyKey(check, next);
    if (check.pragma('integrity_check', { simple: true }) !== 'ok')
      throw new Error('the re-encrypted copy failed integrity_check');
    if (rowCounts(check) !== expected) throw new Error('the re-encrypted copy does not hold the same rows');
    // The rotation's audit record goes into the file that will be in force, with it or not at all.
    options.record?.(check);
  } finally {
    check.close();
  }
  fsyncFile(copy);
}

export async function rotateKey(options: {
  /** The database file in force. */
  file: string;
  /** The app's handle: its connection is replaced by one to the rotated file. */
  handle: SwappableDatabase;
  provider: DbKeyProvider;
  currentKey: Buffer;
  /** Opens the database file under a key, as the app opens it at start. */
  open: (key: Buffer) => Database;
  /** Told the key the file is under as soon as it changes (before the key is recorded). */
  keyInForce: (key: Buffer) => void;
  /**
   * Writes the rotation's audit record on a connection to the checked copy (under the new key); when
   * it throws, the rotation stops with that error and nothing is changed.
   */
  record?: (copy: Database) => void;
  nativeBinding?: string;
  failAt?: RotationFailure;
}): Promise<Buffer> {
  const { file, handle, provider, currentKey } = options;
  const copy = `${file}${ROTATING_SUFFIX}`;
  const next = newKey();
  const staged = await provider.stageRotatedKey(next);

  // From here to the swap nothing awaits: no other statement can run on the connection.
  const db = handle.current();
  let closed = false;
  try {
    removeRotationLeftovers(file);
    // Checkpoints the WAL into the file and removes it: the copy and the file then hold the same rows.
    db.pragma('journal_mode = DELETE');
    if (options.failAt === 'copy') throw new Error('copy failed (test)');
    writeRotatedCopy({
      db,
      copy,
      currentKey,
      next,
      nativeBinding: options.nativeBinding,
      record: options.record,
    });
    db.close();
    closed = true;
    // A WAL left beside the file would be replayed into the new one, whose pages are under another key.
    if (existsSync(`${file}-wal`)) throw new Error('the write-ahead log is still in use');
    // The WAL's removal is on disk before the rename can be.
    syncDirectory(path.dirname(file));
    if (options.failAt === 'rename') throw new Error('rename failed (test)');
    renameDurably(copy, file);
  } catch (error) {
    // The file in force was not touched: back to it under the current key.
    removeRotationLeftovers(file);
    if (closed) handle.swap(options.open(currentKey));
    else db.pragma('journal_mode = WAL');
    await staged.discard();
    throw toDbAppError(error) ?? error;
  }
  // The file is now under the new key; the staged key is what opens it until it is committed.
  options.keyInForce(next);
  try {
    handle.swap(options.open(next));
  } catch (error) {
    throw toDbAppError(error) ?? error;
  }
  try {
    if (options.failAt === 'commit') throw new Error('commit failed (test)');
    await staged.commit();
  } catch {
    // The staged key stays where the next start looks for it: never discard it now.
    throw new AppError('UNAVAILABLE', ROTATION_NOT_RECORDED);
  }
  return next;
}
