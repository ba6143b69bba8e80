import type { Migration } from './types';

/**
 * The FHIR sync outbox. A trigger on observations enqueues every new version in the same transaction as
 * its insert, so nothing recorded can be missed by sync, whatever code path recorded it. A new version
 * supersedes the pending older versions of its series: only the latest is sent (a conditional update
 * carries the whole current state). States:
 * - pending: waiting to be sent; superseded: replaced by a newer version before it went;
 * - sent: the server confirmed it in a transaction-response; rejected: the server refused it for good.
 * `version` counts the versions of the series (1 for the first), the FHIR identifier's version.
 */
export const syncOutboxMigration: Migration = {
  version: 30,
  name: 'sync-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE sync_outbox (
        observation_id   TEXT PRIMARY KEY NOT NULL REFERENCES observations (id),
        series_id        TEXT NOT NULL,
        version          INTEGER NOT NULL CHECK (version >= 1),
        enqueued_at      TEXT NOT NULL,
        state            TEXT NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'superseded', 'sent', 'rejected')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        last_attempt_at  TEXT,
        last_error       TEXT,
        sent_at          TEXT,
        remote_id        TEXT
      ) STRICT;
      -- Pending entries in insertion (rowid) order: first recorded, first sent.
      CREATE INDEX sync_outbox_pending ON sync_outbox (state) WHERE state = 'pending';
      CREATE INDEX sync_outbox_series ON sync_outbox (series_id);

      -- Last success / last error, kept across restarts for the status panel.
      CREATE TABLE sync_state (
        key    TEXT PRIMARY KEY NOT NULL,
        value  TEXT
      ) STRICT;

      -- Observations pulled from the server for the review screen (already mapped and checked).
      CREATE TABLE remote_observations (
        remote_id    TEXT PRIMARY KEY NOT NULL,
        patient_id   TEXT NOT NULL REFERENCES patients (id),
        observation  TEXT NOT NULL CHECK (json_valid(observation)),
        effective_at TEXT NOT NULL,
        fetched_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX remote_observations_patient ON remote_observations (patient_id, effective_at DESC);

      CREATE TRIGGER sync_outbox_enqueue AFTER INSERT ON observations
      BEGIN
        UPDATE sync_outbox SET state = 'superseded'
          WHERE series_id = NEW.series_id AND state = 'pending';
        INSERT INTO sync_outbox (observation_id, series_id, version, enqueued_at)
          VALUES (
            NEW.id,
            NEW.series_id,
            COALESCE((SELECT version FROM sync_outbox WHERE observation_id = NEW.version_of), 0) + 1,
            NEW.recorded_at
          );
      END;
    `);
    // Observations recorded before sync existed: number each series' versions along its chain, and queue
    // the current version of each.
    db.exec(`
      WITH RECURSIVE chain (id, series_id, version, recorded_at) AS (
        SELECT id, series_id, 1, recorded_at FROM observations WHERE version_of IS NULL
        UNION ALL
        SELECT o.id, o.series_id, chain.version + 1, o.recorded_at
          FROM observations o JOIN chain ON o.version_of = chain.id
      )
      INSERT INTO sync_outbox (observation_id, series_id, version, enqueued_at, state)
        SELECT id, series_id, version, recorded_at,
               CASE WHEN EXISTS (SELECT 1 FROM observations n WHERE n.version_of = chain.id)
                    THEN 'superseded' ELSE 'pending' END
          FROM chain;
    `);
  },
};
