import type { Migration } from './types';

/**
 * Workstation security choices an administrator made in the app within IT's policy (a shorter idle
 * lock, a shorter second-step interval): kept here, under the database key, rather than in the per-user
 * settings file. Each change is also an audit record with its old and new value.
 */
export const workstationSettingsMigration: Migration = {
  version: 40,
  name: 'workstation-settings',
  up(db) {
    db.exec(`
      CREATE TABLE workstation_settings (
        key         TEXT PRIMARY KEY NOT NULL,
        value       TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        updated_by  TEXT
      ) STRICT;
    `);
  },
};
