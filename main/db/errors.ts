/**
 * Maps what SQLite and the file system say into AppErrors a nurse or the clinic's IT can act on.
 * Messages never carry PHI, paths of patient data or SQL: only what went wrong and what to do.
 */
import { AppError } from '../../shared/ipc';

export const DB_MESSAGES = {
  keyInvalid:
    "The patient database could not be unlocked with this computer's key. The key may have changed or the start of the file is damaged. Nothing was changed; please call IT support.",
  corrupt:
    'The patient database file is damaged. Nothing more was written to it; please call IT support to restore it from a backup.',
  tooNew:
    'The patient database was last used by a newer version of Vitals Desk. Please install the latest version; nothing was changed.',
  readOnly:
    'Vitals Desk cannot write to the folder where patient data is kept. Please ask IT support to check the disk and its permissions.',
  diskFull:
    'The disk is full, so this could not be saved. What was saved before is safe; please ask IT support to free some space.',
  unavailable: 'The patient database is not open, so patient data cannot be shown or saved right now.',
} as const;

interface CodedError {
  code?: unknown;
  message?: unknown;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as CodedError).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns a SQLite/file-system error into an AppError when it is one of the conditions the user must
 * be told about (wrong key, damaged file, read-only, full disk); returns undefined for anything else,
 * so the caller re-throws it as an unexpected error. An AppError passes through unchanged.
 */
export function toDbAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const code = codeOf(error);
  if (!code) return undefined;
  // Extended result codes (SQLITE_CORRUPT_VTAB, SQLITE_READONLY_DBMOVED...) share the primary prefix.
  if (code === 'SQLITE_NOTADB') return new AppError('DB_KEY_INVALID', DB_MESSAGES.keyInvalid);
  if (code.startsWith('SQLITE_CORRUPT')) return new AppError('DB_CORRUPT', DB_MESSAGES.corrupt);
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT')
    return new AppError('DISK_FULL', DB_MESSAGES.diskFull);
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_PERM') ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS'
  )
    return new AppError('DB_READ_ONLY', DB_MESSAGES.readOnly);
  return undefined;
}

/** Runs a database operation and re-throws the conditions above as AppErrors. */
export function withDbErrors<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw toDbAppError(error) ?? error;
  }
}
