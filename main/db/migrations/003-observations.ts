import type { Migration } from './types';

/**
 * Observations are append-only: a correction is a new row whose version_of names the row it
 * corrects, all versions sharing series_id. Triggers make the database itself refuse UPDATE and
 * DELETE, so no code path (or SQL console) can rewrite clinical history.
 */
export const observationsMigration: Migration = {
  version: 3,
  name: 'observations',
  up(db) {
    db.exec(`
      CREATE TABLE observations (
        id              TEXT PRIMARY KEY NOT NULL,
        version_of      TEXT REFERENCES observations (id),
        series_id       TEXT NOT NULL,
        patient_id      TEXT NOT NULL REFERENCES patients (id),
        encounter_id    TEXT REFERENCES encounters (id),
        code            TEXT NOT NULL,
        kind            TEXT NOT NULL,
        value_quantity  REAL,
        value_code      TEXT CHECK (value_code IS NULL OR value_code IN ('A', 'C', 'V', 'P', 'U')),
        unit            TEXT,
        components      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(components)),
        body_site       TEXT,
        effective_at    TEXT NOT NULL,
        recorded_at     TEXT NOT NULL,
        recorded_by     TEXT NOT NULL,
        method          TEXT NOT NULL CHECK (method IN ('manual', 'device')),
        device_id       TEXT,
        transport       TEXT CHECK (transport IS NULL OR transport IN ('ble', 'serial')),
        driver          TEXT,
        manufacturer    TEXT,
        model           TEXT,
        serial          TEXT,
        firmware        TEXT,
        status          TEXT NOT NULL CHECK (status IN ('final', 'amended', 'entered-in-error')),
        reason          TEXT,
        CHECK (value_quantity IS NOT NULL OR value_code IS NOT NULL OR components != '[]'),
        CHECK (method = 'manual' OR device_id IS NOT NULL),
        CHECK ((version_of IS NULL) = (series_id = id)),
        CHECK (status = 'final' OR reason IS NOT NULL)
      ) STRICT;

      -- A version is corrected at most once: two nurses amending the same version conflict.
      CREATE UNIQUE INDEX observations_version_of ON observations (version_of) WHERE version_of IS NOT NULL;
      CREATE INDEX observations_series ON observations (series_id, recorded_at);
      -- latestVitals: per patient and kind, newest first.
      CREATE INDEX observations_patient_kind ON observations (patient_id, kind, effective_at DESC);
      -- vitalsHistory: per patient and LOINC code over a time range.
      CREATE INDEX observations_patient_code ON observations (patient_id, code, effective_at);
      CREATE INDEX observations_encounter ON observations (encounter_id) WHERE encounter_id IS NOT NULL;

      CREATE TRIGGER observations_no_update BEFORE UPDATE ON observations
      BEGIN
        SELECT RAISE(ABORT, 'observations are append-only: record a new version instead');
      END;
      CREATE TRIGGER observations_no_delete BEFORE DELETE ON observations
      BEGIN
        SELECT RAISE(ABORT, 'observations are append-only: mark entered-in-error instead');
      END;
    `);
  },
};
