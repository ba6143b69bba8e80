/**
 * Patient data is this user's only: the data folder 0700, the database and the files SQLite keeps
 * beside it (WAL, shared-memory index, rollback journal) 0600. Set at every start, not only when
 * created, so a folder or file loosened since (a copy, a restore, a umask) is closed again.
 */
import { chmodSync, existsSync, statSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The files SQLite may keep beside the database. */
export const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

function restrict(target: string, mode: number): void {
  if (!existsSync(target)) return;
  if ((statSync(target).mode & 0o777) !== mode) chmodSync(target, mode);
}

/** POSIX only: Windows has no mode bits, the profile folder's ACL keeps other users out there. */
export function restrictDatabaseFiles(dataDir: string, databaseFile: string): void {
  if (process.platform === 'win32') return;
  restrict(dataDir, PRIVATE_DIR_MODE);
  restrict(databaseFile, PRIVATE_FILE_MODE);
  for (const suffix of SIDE_FILES) restrict(`${databaseFile}${suffix}`, PRIVATE_FILE_MODE);
}
