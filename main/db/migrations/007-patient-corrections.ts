import type { Migration } from './types';

/**
 * Corrections of a patient's details (a misspelt name, a wrong birth date). The patient row holds the
 * current values; each correction keeps who made it, when, why, and the values it replaced, so the
 * record's history can be shown and audited. Append-only, like observations.
 */
export const patientCorrectionsMigration: Migration = {
  version: 7,
  name: 'patient-corrections',
  up(db) {
    db.exec(`
      CREATE TABLE patient_corrections (
        id            TEXT PRIMARY KEY NOT NULL,
        patient_id    TEXT NOT NULL REFERENCES patients (id),
        corrected_at  TEXT NOT NULL,
        corrected_by  TEXT NOT NULL,
        reason        TEXT NOT NULL,
        -- The replaced values of the changed fields only, as a JSON object keyed by field.
        previous      TEXT NOT NULL CHECK (json_valid(previous))
      ) STRICT;
      CREATE INDEX patient_corrections_patient ON patient_corrections (patient_id, corrected_at);
      CREATE TRIGGER patient_corrections_no_update BEFORE UPDATE ON patient_corrections
      BEGIN
        SELECT RAISE(ABORT, 'patient corrections are append-only');
      END;
      CREATE TRIGGER patient_corrections_no_delete BEFORE DELETE ON patient_corrections
      BEGIN
        SELECT RAISE(ABORT, 'patient corrections are append-only');
      END;
    `);
  },
};
