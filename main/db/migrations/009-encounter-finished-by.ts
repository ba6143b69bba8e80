import type { Migration } from './types';

/** Who finished a visit, beside who started it. Visits finished before this was recorded have none. */
export const encounterFinishedByMigration: Migration = {
  version: 9,
  name: 'encounter-finished-by',
  up(db) {
    db.exec(`ALTER TABLE encounters ADD COLUMN finished_by TEXT;`);
  },
};
