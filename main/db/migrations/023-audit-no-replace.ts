import type { Migration } from './types';

/**
 * The audit trail's answer to `INSERT OR REPLACE`/`REPLACE`/upserts (see 010): a record whose
 * sequence number is taken is refused before SQLite can delete the old one to make room.
 */
export const auditNoReplaceMigration: Migration = {
  version: 23,
  name: 'audit-no-replace',
  up(db) {
    db.exec(`
      CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
      WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq)
      BEGIN
        SELECT RAISE(ABORT, 'audit records are append-only');
      END;
    `);
  },
};
