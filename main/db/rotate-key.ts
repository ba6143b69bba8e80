/**
 * Key rotation (admin action), ordered so no failure or crash leaves data without a usable key:
 *  1. the new key is wrapped and written to a staging file beside the current key (not yet in force);
 *  2. `PRAGMA rekey` re-encrypts every page (SQLite3 Multiple Ciphers refuses rekey in WAL mode, so
 *     the journal is switched to DELETE for the rekey and back to WAL after);
 *  3. the staging file is renamed over the current key file (atomic).
 * If 2 fails, the staging file is discarded and the old key still opens the file. If 3 fails, the
 * database is rekeyed back to the old key. A crash between 2 and 3 is recovered on the next open:
 * when the current key does not open the file, the staged key is tried and, if it does, committed.
 */
import { AppError } from '../../shared/ipc';
import { applyRekey, type Database } from './connection';
import { toDbAppError } from './errors';
import { newKey } from './keys/key-material';
import type { DbKeyProvider } from './keys/types';

export async function rotateKey(options: {
  db: Database;
  provider: DbKeyProvider;
  currentKey: Buffer;
  /** Test seam: fails the chosen step to prove the rollback. */
  failAt?: 'rekey' | 'commit';
}): Promise<Buffer> {
  const { db, provider, currentKey } = options;
  const next = newKey();
  const staged = await provider.stageRotatedKey(next);
  try {
    if (options.failAt === 'rekey') throw new Error('rekey failed (test)');
    applyRekey(db, next);
  } catch (error) {
    await staged.discard();
    throw toDbAppError(error) ?? error;
  }
  try {
    if (options.failAt === 'commit') throw new Error('commit failed (test)');
    await staged.commit();
  } catch (error) {
    applyRekey(db, currentKey);
    await staged.discard();
    if (error instanceof AppError) throw error;
    throw new AppError(
      'UNAVAILABLE',
      'The new database key could not be saved, so the key was left unchanged. Patient data is safe.',
    );
  }
  return next;
}
