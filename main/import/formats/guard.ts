/**
 * Every reader runs inside this guard: bad content and unreadable files end as one clear problem event
 * instead of an exception; a cancel (the signal's reason) still ends the import as a cancel.
 */
import type { HomeImportEvent, HomeImportInput, HomeImportReader } from './events';
import { SourceError } from './source-file';
import { NotAFileError } from '../regular-file';

function fileErrorMessage(error: NodeJS.ErrnoException): string | undefined {
  switch (error.code) {
    case 'ENOENT':
      return 'The file is no longer there.';
    case 'EACCES':
    case 'EPERM':
      return 'This workstation may not read the file (permissions).';
    case 'EISDIR':
      return 'This is a folder, not a file.';
    case 'EIO':
      return 'The file could not be read (the disk or stick reported an error).';
    default:
      return undefined;
  }
}

export function guarded(read: (input: HomeImportInput) => AsyncGenerator<HomeImportEvent>): HomeImportReader {
  return async function* guardedReader(input) {
    try {
      yield* read(input);
    } catch (error) {
      if (input.signal?.aborted) throw error;
      if (error instanceof SourceError || error instanceof NotAFileError) {
        yield {
          type: 'problem',
          problem: {
            severity: 'error',
            message: error.message,
            ...(error instanceof SourceError && error.at ? { at: error.at } : {}),
          },
        };
        return;
      }
      const message = error instanceof Error ? fileErrorMessage(error as NodeJS.ErrnoException) : undefined;
      if (message) {
        yield { type: 'problem', problem: { severity: 'error', message } };
        return;
      }
      throw error;
    }
  };
}
