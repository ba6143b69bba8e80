import type { Migration } from './types';

/**
 * Closes the REPLACE door on the append-only tables. `INSERT OR REPLACE`, `REPLACE` and
 * `UPDATE OR REPLACE` resolve a key conflict by deleting the old row, and SQLite runs no DELETE
 * trigger for that deletion unless `recursive_triggers` is on (SQLite docs, "The ON CONFLICT
 * Clause"), so the no-delete triggers alone let a stored reading be overwritten. A BEFORE INSERT
 * trigger refuses any insert whose key (rowid, id, or for observations the corrected version) is
 * taken, whatever the conflict clause or connection settings; an upsert's DO UPDATE runs into the
 * same trigger first, and into the no-update trigger after.
 */
export const appendOnlyNoReplaceMigration: Migration = {
  version: 10,
  name: 'append-only-no-replace',
  up(db) {
    db.exec(`
      CREATE TRIGGER observations_no_replace BEFORE INSERT ON observations
      WHEN EXISTS (SELECT 1 FROM observations WHERE id = NEW.id OR rowid = NEW.rowid)
        OR (NEW.version_of IS NOT NULL
            AND EXISTS (SELECT 1 FROM observations WHERE version_of = NEW.version_of))
      BEGIN
        SELECT RAISE(ABORT, 'observations are append-only: record a new version instead');
      END;
      CREATE TRIGGER reviews_no_replace BEFORE INSERT ON reviews
      WHEN EXISTS (SELECT 1 FROM reviews WHERE id = NEW.id OR rowid = NEW.rowid)
      BEGIN
        SELECT RAISE(ABORT, 'reviews are append-only');
      END;
      CREATE TRIGGER patient_corrections_no_replace BEFORE INSERT ON patient_corrections
      WHEN EXISTS (SELECT 1 FROM patient_corrections WHERE id = NEW.id OR rowid = NEW.rowid)
      BEGIN
        SELECT RAISE(ABORT, 'patient corrections are append-only');
      END;
    `);
  },
};
