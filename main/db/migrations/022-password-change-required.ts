import type { Migration } from './types';

/**
 * A password an administrator set (a new account, a reset) is known to two people: the account must
 * choose its own at the next sign-in before doing anything else. Accounts that exist already keep theirs.
 */
export const passwordChangeRequiredMigration: Migration = {
  version: 22,
  name: 'password-change-required',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
        CHECK (must_change_password IN (0, 1));
    `);
  },
};
