import type { Migration } from './types';

/**
 * A daily step total or a nightly sleep total is a figure a later, fuller export revises (more steps
 * synced for the same day). Like a corrected clinic observation, the revision is a new row: `series`
 * names what it is a total of (export kind, measure and date, e.g. `apple-health:steps:2026-03-01`) and
 * `version_of` the row it supersedes, so the table stays append-only and the history stays readable.
 * Review, trends and sync read a series' newest version only (the row no other row is a version of).
 * Single readings have neither. Totals stored before this migration get their series from their old
 * identity (`apple-health:steps:<date>`), so a re-import after the upgrade adds nothing twice.
 */
export const homeTotalVersionsMigration: Migration = {
  version: 51,
  name: 'home-total-versions',
  up(db) {
    db.exec(`
      ALTER TABLE home_observations ADD COLUMN series TEXT CHECK (series IS NULL OR length(series) BETWEEN 1 AND 512);
      ALTER TABLE home_observations ADD COLUMN version_of TEXT REFERENCES home_observations (id);

      -- The one backfill of the new column, done with the append-only trigger lifted for it alone.
      DROP TRIGGER home_observations_no_update;
      UPDATE home_observations SET series = source_record_id
        WHERE format = 'apple-health' AND measure IN ('steps', 'sleep')
          AND (source_record_id LIKE 'apple-health:steps:____-__-__' OR source_record_id LIKE 'apple-health:sleep:____-__-__');
      CREATE TRIGGER home_observations_no_update BEFORE UPDATE ON home_observations
      BEGIN
        SELECT RAISE(ABORT, 'home observations are append-only');
      END;

      CREATE INDEX home_observations_series ON home_observations (patient_id, format, series)
        WHERE series IS NOT NULL;
      -- A version is superseded at most once: the series is a chain, its newest link is unambiguous.
      CREATE UNIQUE INDEX home_observations_version_of ON home_observations (version_of)
        WHERE version_of IS NOT NULL;
      CREATE TRIGGER home_observations_version_in_series BEFORE INSERT ON home_observations
      WHEN NEW.version_of IS NOT NULL AND (NEW.series IS NULL OR NOT EXISTS (
        SELECT 1 FROM home_observations WHERE id = NEW.version_of AND series = NEW.series
          AND patient_id = NEW.patient_id AND format = NEW.format))
      BEGIN
        SELECT RAISE(ABORT, 'a new version must supersede a total of the same series');
      END;
    `);
  },
};
