import type { Migration } from './types';

/**
 * The audit trail's anchored head (see main/audit/head.ts), one row outside `audit_log`, updated in
 * the same transaction as each append. The row starts unsigned: the audit store signs the head of
 * the trail as it stands at the first start with this table (a new trail's genesis, or an older
 * trail's last record), and from then on only ever moves a head whose signature is valid.
 */
export const auditHeadMigration: Migration = {
  version: 24,
  name: 'audit-head',
  up(db) {
    db.exec(`
      CREATE TABLE audit_head (
        id    INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        seq   INTEGER NOT NULL,
        hash  TEXT NOT NULL,
        mac   TEXT NOT NULL
      ) STRICT;
      INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, '', 'unsigned');
      CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
        BEGIN SELECT RAISE(ABORT, 'the audit head is kept, only moved forward'); END;
    `);
  },
};
