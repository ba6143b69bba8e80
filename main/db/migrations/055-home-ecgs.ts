import type { Migration } from './types';

/**
 * Watch ECGs a patient brings in an Apple Health export: one row per recording, with the watch app's
 * classification (patient-generated, not a diagnosis), its device and software version as provenance,
 * and the whole trace (float32 µV, little-endian; about 60 KB for 30 s at 512 Hz) in the encrypted
 * file. The name and birth date printed in the file are never stored. Append-only like home values;
 * the recorded instant is the identity, so a later export adds nothing twice.
 */
export const homeEcgsMigration: Migration = {
  version: 55,
  name: 'home-ecgs',
  up(db) {
    db.exec(`
      CREATE TABLE home_ecgs (
        id                   TEXT PRIMARY KEY NOT NULL,
        patient_id           TEXT NOT NULL REFERENCES patients (id),
        import_id            TEXT NOT NULL REFERENCES home_imports (id),
        source_record_id     TEXT NOT NULL CHECK (length(source_record_id) BETWEEN 1 AND 128),
        recorded_at          TEXT NOT NULL,
        classification       TEXT NOT NULL CHECK (classification IN ('sinusRhythm', 'atrialFibrillation',
                               'highHeartRate', 'lowHeartRate', 'poorRecording', 'inconclusive', 'other')),
        classification_text  TEXT NOT NULL,
        average_heart_rate   REAL,
        symptoms             TEXT NOT NULL, -- JSON array of strings
        device               TEXT,
        software_version     TEXT,
        sample_rate_hz       REAL NOT NULL CHECK (sample_rate_hz > 0),
        lead                 TEXT,
        sample_count         INTEGER NOT NULL CHECK (sample_count >= 0),
        samples              BLOB NOT NULL CHECK (length(samples) = 4 * sample_count),
        UNIQUE (patient_id, source_record_id)
      ) STRICT;
      CREATE INDEX home_ecgs_patient ON home_ecgs (patient_id, recorded_at);
      CREATE TRIGGER home_ecgs_no_update BEFORE UPDATE ON home_ecgs
      BEGIN
        SELECT RAISE(ABORT, 'home ECGs are append-only');
      END;
      CREATE TRIGGER home_ecgs_no_delete BEFORE DELETE ON home_ecgs
      BEGIN
        SELECT RAISE(ABORT, 'home ECGs are append-only');
      END;
    `);
  },
};
