import { identityHash } from '../home-identity';
import type { Migration } from './types';

const COLUMNS = `id, patient_id, import_id, format, source_record_id, measure, value, diastolic, unit,
  effective_start, effective_end, beyond_range, source_name, device, series, version_of`;

/**
 * A home import stores hundreds of thousands of rows in one transaction, and each row paid for two
 * lookups and one insert in an index of its whole identity (patient, format, source record id: about
 * 100 bytes an entry, inserted in random order). The identity is now found through `identity`, a
 * 53-bit hash of the source record id kept in a small integer index; the append-only trigger compares
 * the full identity of the rows that share the hash, so a re-import still adds nothing twice and a
 * hash collision never merges two records. Dropping a table constraint needs the table rebuilt: rows
 * keep their rowids (home sync's cursor) and ids, and the triggers come back as they were. Imports also
 * record when their export was made.
 */
export const homeIdentityHashMigration: Migration = {
  version: 56,
  name: 'home-identity-hash',
  up(db) {
    db.function('home_identity_hash', { deterministic: true }, (text: unknown) => identityHash(String(text)));
    db.exec(`
      -- When the imported export was made, where the file says (Apple Health): an older export imported
      -- after a newer one must not revise the newer one's day and night totals.
      ALTER TABLE home_imports ADD COLUMN exported_at TEXT;

      DROP TRIGGER home_observations_no_update;
      DROP TRIGGER home_observations_no_delete;
      DROP TRIGGER home_observations_no_replace;
      DROP TRIGGER home_observations_version_in_series;
      DROP INDEX home_observations_patient_measure;
      DROP INDEX home_observations_series;
      DROP INDEX home_observations_version_of;
      ALTER TABLE home_observations RENAME TO home_observations_051;

      CREATE TABLE home_observations (
        id                TEXT PRIMARY KEY NOT NULL,
        patient_id        TEXT NOT NULL REFERENCES patients (id),
        import_id         TEXT NOT NULL REFERENCES home_imports (id),
        format            TEXT NOT NULL,
        source_record_id  TEXT NOT NULL CHECK (length(source_record_id) BETWEEN 1 AND 512),
        measure           TEXT NOT NULL CHECK (measure IN ('heartRate', 'restingHeartRate', 'bloodPressure',
                            'spo2', 'respiratoryRate', 'bodyTemperature', 'bodyWeight', 'bodyHeight',
                            'glucose', 'steps', 'sleep')),
        value             REAL NOT NULL,
        diastolic         REAL,
        unit              TEXT NOT NULL,
        effective_start   TEXT NOT NULL,
        effective_end     TEXT,
        beyond_range      TEXT CHECK (beyond_range IS NULL OR beyond_range IN ('below', 'above')),
        source_name       TEXT,
        device            TEXT,
        series            TEXT CHECK (series IS NULL OR length(series) BETWEEN 1 AND 512),
        version_of        TEXT REFERENCES home_observations (id),
        identity          INTEGER NOT NULL,
        CHECK ((measure = 'bloodPressure') = (diastolic IS NOT NULL))
      ) STRICT;
      INSERT INTO home_observations (rowid, ${COLUMNS}, identity)
        SELECT rowid, ${COLUMNS}, home_identity_hash(source_record_id) FROM home_observations_051 ORDER BY rowid;
      DROP TABLE home_observations_051;

      CREATE INDEX home_observations_patient_measure ON home_observations (patient_id, measure, effective_start);
      CREATE INDEX home_observations_identity ON home_observations (identity);
      CREATE INDEX home_observations_series ON home_observations (patient_id, format, series)
        WHERE series IS NOT NULL;
      CREATE UNIQUE INDEX home_observations_version_of ON home_observations (version_of)
        WHERE version_of IS NOT NULL;

      CREATE TRIGGER home_observations_no_update BEFORE UPDATE ON home_observations
      BEGIN
        SELECT RAISE(ABORT, 'home observations are append-only');
      END;
      CREATE TRIGGER home_observations_no_delete BEFORE DELETE ON home_observations
      BEGIN
        SELECT RAISE(ABORT, 'home observations are append-only');
      END;
      -- The identity is unique per patient and format; REPLACE would delete the stored row without
      -- running the delete trigger (see migration 010), so a clash of id, rowid or identity aborts here.
      CREATE TRIGGER home_observations_no_replace BEFORE INSERT ON home_observations
      WHEN EXISTS (SELECT 1 FROM home_observations WHERE id = NEW.id OR rowid = NEW.rowid)
        OR EXISTS (SELECT 1 FROM home_observations WHERE identity = NEW.identity
                   AND patient_id = NEW.patient_id AND format = NEW.format
                   AND source_record_id = NEW.source_record_id)
      BEGIN
        SELECT RAISE(ABORT, 'home observations are append-only');
      END;
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
