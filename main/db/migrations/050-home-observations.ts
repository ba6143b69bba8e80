import type { Migration } from './types';

/**
 * Patient-generated data (home and wearable exports) lives in its own tables, apart from the clinic's
 * observations: nothing that reads clinic vitals (NEWS2, abnormal flags, latest vitals) can pick it up.
 * `home_imports` says who imported which file (its name, never its path) when, with what counts.
 * `home_observations` is append-only like clinic observations; its identity per (patient, format,
 * source record id) is what makes a re-import, or a later export that overlaps, add nothing twice.
 */
export const homeObservationsMigration: Migration = {
  version: 50,
  name: 'home-observations',
  up(db) {
    db.exec(`
      CREATE TABLE home_imports (
        id                 TEXT PRIMARY KEY NOT NULL,
        patient_id         TEXT NOT NULL REFERENCES patients (id),
        format             TEXT NOT NULL,
        file_name          TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255 AND instr(file_name, '/') = 0),
        file_bytes         INTEGER NOT NULL CHECK (file_bytes >= 0),
        imported_at        TEXT NOT NULL,
        imported_by        TEXT NOT NULL,
        records_read       INTEGER NOT NULL CHECK (records_read >= 0),
        records_added      INTEGER NOT NULL CHECK (records_added >= 0),
        warnings           INTEGER NOT NULL CHECK (warnings >= 0),
        first_effective    TEXT,
        last_effective     TEXT,
        -- The export named someone else's birth date or sex and the nurse confirmed it is this patient.
        subject_confirmed  INTEGER NOT NULL CHECK (subject_confirmed IN (0, 1))
      ) STRICT;
      CREATE INDEX home_imports_patient ON home_imports (patient_id, imported_at);

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
        CHECK ((measure = 'bloodPressure') = (diastolic IS NOT NULL)),
        UNIQUE (patient_id, format, source_record_id)
      ) STRICT;
      -- Trends: per patient and measure over a time range. No index on import_id: imports are never
      -- deleted or rekeyed, so the foreign key never looks rows up by it, and each index costs every insert.
      CREATE INDEX home_observations_patient_measure ON home_observations (patient_id, measure, effective_start);

      CREATE TRIGGER home_observations_no_update BEFORE UPDATE ON home_observations
      BEGIN
        SELECT RAISE(ABORT, 'home observations are append-only');
      END;
      CREATE TRIGGER home_observations_no_delete BEFORE DELETE ON home_observations
      BEGIN
        SELECT RAISE(ABORT, 'home observations are append-only');
      END;
      -- REPLACE would delete the stored row without running the delete trigger (see migration 010).
      CREATE TRIGGER home_observations_no_replace BEFORE INSERT ON home_observations
      WHEN EXISTS (SELECT 1 FROM home_observations WHERE id = NEW.id OR rowid = NEW.rowid)
        OR EXISTS (SELECT 1 FROM home_observations WHERE patient_id = NEW.patient_id
                   AND format = NEW.format AND source_record_id = NEW.source_record_id)
      BEGIN
        SELECT RAISE(ABORT, 'home observations are append-only');
      END;
      CREATE TRIGGER home_imports_no_replace BEFORE INSERT ON home_imports
      WHEN EXISTS (SELECT 1 FROM home_imports WHERE id = NEW.id OR rowid = NEW.rowid)
      BEGIN
        SELECT RAISE(ABORT, 'home imports are append-only');
      END;
      CREATE TRIGGER home_imports_no_update BEFORE UPDATE ON home_imports
      BEGIN
        SELECT RAISE(ABORT, 'home imports are append-only');
      END;
      CREATE TRIGGER home_imports_no_delete BEFORE DELETE ON home_imports
      BEGIN
        SELECT RAISE(ABORT, 'home imports are append-only');
      END;
    `);
  },
};
