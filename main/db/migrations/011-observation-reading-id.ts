import type { Migration } from './types';

/**
 * Accepting a device reading is idempotent: the first version of each observation a reading made
 * carries the reading's id, and the database refuses a second first version of the same kind from the
 * same reading (corrections share the id and are left out of the index). The device clock's offset
 * from the workstation, when it was beyond the tolerance and the time of receipt was used, is kept
 * with the provenance. Existing rows get neither.
 */
export const observationReadingIdMigration: Migration = {
  version: 11,
  name: 'observation-reading-id',
  up(db) {
    db.exec(`
      ALTER TABLE observations ADD COLUMN reading_id TEXT;
      ALTER TABLE observations ADD COLUMN device_clock_offset_ms INTEGER;
      CREATE UNIQUE INDEX observations_reading_kind ON observations (reading_id, kind)
        WHERE reading_id IS NOT NULL AND version_of IS NULL;
    `);
  },
};
