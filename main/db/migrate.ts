/**
 * Applies pending migrations. Which ones ran is kept in `schema_migrations`, not inferred from
 * `user_version` alone, because numbers are reserved in ranges per area (see migrations/types):
 * a migration 005 added after 020 has shipped must still run. `PRAGMA user_version` holds the
 * highest applied number so an older app can tell the file is newer than it knows (DB_TOO_NEW).
 */
import { AppError } from '../../shared/ipc';
import type { Database } from './connection';
import { DB_MESSAGES } from './errors';
import type { Migration } from './migrations/types';

export function latestVersion(list: readonly Migration[]): number {
  return list.reduce((max, m) => Math.max(max, m.version), 0);
}

export function userVersion(db: Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Refuses a file written by a newer app before anything is written to it. */
export function assertNotTooNew(db: Database, list: readonly Migration[]): void {
  if (userVersion(db) > latestVersion(list)) throw new AppError('DB_TOO_NEW', DB_MESSAGES.tooNew);
}

function checkList(list: readonly Migration[]): Migration[] {
  const sorted = [...list].sort((a, b) => a.version - b.version);
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i]!;
    if (!Number.isInteger(m.version) || m.version < 1) throw new Error(`Migration ${m.name}: bad version`);
    if (i > 0 && sorted[i - 1]!.version === m.version)
      throw new Error(`Two migrations share version ${m.version}`);
  }
  return sorted;
}

/** Applies every migration of `list` not yet recorded, each in its own transaction. Returns the versions applied. */
export function migrate(
  db: Database,
  list: readonly Migration[],
  now: () => Date = () => new Date(),
): number[] {
  const sorted = checkList(list);
  assertNotTooNew(db, sorted);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
  ) STRICT`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]).map(Number),
  );
  const done: number[] = [];
  for (const migration of sorted) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        now().toISOString(),
      );
      const highest = Math.max(userVersion(db), migration.version);
      // PRAGMA takes no bound parameters; the value is an integer we computed.
      db.pragma(`user_version = ${highest}`);
    }).immediate();
    done.push(migration.version);
  }
  return done;
}
