import type { Migration } from './types';

/**
 * The audit trail: append-only, hash-chained (see main/audit/chain.ts). Triggers refuse UPDATE and
 * DELETE so the app itself can never rewrite history; tampering from outside the app (dropping the
 * triggers) is what the hash chain detects. Records hold identifiers only, never clinical values.
 */
export const auditLogMigration: Migration = {
  version: 21,
  name: 'audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq            INTEGER PRIMARY KEY NOT NULL,
        at             TEXT NOT NULL,
        actor_user_id  TEXT,
        actor_role     TEXT,
        workstation    TEXT NOT NULL,
        action         TEXT NOT NULL,
        resource_type  TEXT,
        resource_id    TEXT,
        patient_id     TEXT,
        outcome        TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
        detail         TEXT,
        prev_hash      TEXT NOT NULL,
        hash           TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_patient ON audit_log (patient_id);
      CREATE INDEX audit_log_actor ON audit_log (actor_user_id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
    `);
  },
};
