import type { Migration } from './types';

export const patientsMigration: Migration = {
  version: 1,
  name: 'patients',
  up(db) {
    db.exec(`
      CREATE TABLE patients (
        id          TEXT PRIMARY KEY NOT NULL,
        mrn         TEXT NOT NULL UNIQUE,
        family      TEXT NOT NULL,
        given       TEXT NOT NULL,
        birth_date  TEXT NOT NULL,
        sex         TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
        phone       TEXT,
        email       TEXT,
        -- "family given" lower-cased without diacritics, for case-insensitive search (computed in main).
        search_name TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX patients_birth_date ON patients (birth_date);
      CREATE INDEX patients_updated_at ON patients (updated_at);
    `);
  },
};
