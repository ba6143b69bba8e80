import type { Migration } from './types';

/**
 * The clinician's "Reviewed" sign-offs of a visit. Append-only like observations: a second review is
 * a new row, and triggers make the database refuse UPDATE and DELETE, so who signed what and when
 * cannot be rewritten. The signer's name and role are kept as they were at the time of signing.
 */
export const reviewsMigration: Migration = {
  version: 5,
  name: 'reviews',
  up(db) {
    db.exec(`
      CREATE TABLE reviews (
        id              TEXT PRIMARY KEY NOT NULL,
        encounter_id    TEXT NOT NULL REFERENCES encounters (id),
        patient_id      TEXT NOT NULL REFERENCES patients (id),
        signed_by       TEXT NOT NULL,
        signed_by_name  TEXT NOT NULL,
        signed_by_role  TEXT NOT NULL CHECK (signed_by_role IN ('nurse', 'clinician', 'admin')),
        signed_at       TEXT NOT NULL,
        comment         TEXT CHECK (comment IS NULL OR length(comment) BETWEEN 1 AND 1000)
      ) STRICT;
      CREATE INDEX reviews_encounter ON reviews (encounter_id, signed_at);

      CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
      BEGIN
        SELECT RAISE(ABORT, 'reviews are append-only: sign off again instead');
      END;
      CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
      BEGIN
        SELECT RAISE(ABORT, 'reviews are append-only');
      END;
    `);
  },
};
