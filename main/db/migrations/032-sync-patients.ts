import type { Migration } from './types';

/**
 * Corrected patient details are sent too: observations carry their patient only as a conditional
 * create, which never changes a patient the server already has. A trigger queues the patient in the
 * transaction that corrects it; one entry per patient (the worker sends the current values), whose
 * generation counts the corrections, so confirming one that was read never swallows a later one.
 */
export const syncPatientsMigration: Migration = {
  version: 32,
  name: 'sync-patients',
  up(db) {
    db.exec(`
      CREATE TABLE sync_patient_outbox (
        patient_id   TEXT PRIMARY KEY NOT NULL REFERENCES patients (id),
        enqueued_at  TEXT NOT NULL,
        generation   INTEGER NOT NULL DEFAULT 1,
        state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'rejected')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT,
        sent_at      TEXT
      ) STRICT;
      CREATE INDEX sync_patient_outbox_pending ON sync_patient_outbox (state) WHERE state = 'pending';

      CREATE TRIGGER sync_patient_corrected AFTER UPDATE OF family, given, birth_date, sex, phone, email
        ON patients
      BEGIN
        INSERT INTO sync_patient_outbox (patient_id, enqueued_at)
          VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
          ON CONFLICT (patient_id) DO UPDATE SET
            generation = generation + 1, enqueued_at = excluded.enqueued_at,
            state = 'pending', attempts = 0, last_error = NULL, sent_at = NULL;
      END;
    `);
  },
};
