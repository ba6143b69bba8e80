import type { Migration } from './types';

/**
 * Visits that end are sent too: without this, a visit whose last observation went out before it was
 * finished would stay "in progress" on the FHIR server. A trigger queues the visit in the transaction
 * that finishes (or cancels) it; the sync worker sends it as a conditional update.
 */
export const syncEncountersMigration: Migration = {
  version: 31,
  name: 'sync-encounters',
  up(db) {
    db.exec(`
      CREATE TABLE sync_encounter_outbox (
        encounter_id     TEXT PRIMARY KEY NOT NULL REFERENCES encounters (id),
        enqueued_at      TEXT NOT NULL,
        state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'rejected')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        last_error       TEXT,
        sent_at          TEXT
      ) STRICT;
      CREATE INDEX sync_encounter_outbox_pending ON sync_encounter_outbox (state) WHERE state = 'pending';

      CREATE TRIGGER sync_encounter_ended AFTER UPDATE OF status ON encounters
      WHEN NEW.status IN ('finished', 'cancelled') AND OLD.status IS NOT NEW.status
      BEGIN
        INSERT OR REPLACE INTO sync_encounter_outbox (encounter_id, enqueued_at)
          VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
      END;
    `);
  },
};
