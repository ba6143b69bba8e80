import type { Migration } from './types';

export const encountersMigration: Migration = {
  version: 2,
  name: 'encounters',
  up(db) {
    db.exec(`
      CREATE TABLE encounters (
        id                 TEXT PRIMARY KEY NOT NULL,
        patient_id         TEXT NOT NULL REFERENCES patients (id),
        status             TEXT NOT NULL CHECK (status IN ('planned', 'in-progress', 'finished', 'cancelled')),
        start              TEXT NOT NULL,
        "end"              TEXT,
        external_visit_id  TEXT,
        join_url           TEXT,
        reason             TEXT,
        location           TEXT,
        created_by         TEXT NOT NULL
      ) STRICT;
      CREATE INDEX encounters_patient_start ON encounters (patient_id, start DESC);
      -- One visit in progress per patient at a time.
      CREATE UNIQUE INDEX encounters_one_in_progress ON encounters (patient_id) WHERE status = 'in-progress';
    `);
  },
};
