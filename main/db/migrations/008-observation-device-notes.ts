import type { Migration } from './types';

/**
 * What the device said about a measurement it made (irregular pulse, body movement, cuff too loose, a
 * wrong device clock): kept with the observation, since it changes how far the value can be trusted.
 * A JSON array of short sentences; empty for values typed in. Existing rows get none.
 */
export const observationDeviceNotesMigration: Migration = {
  version: 8,
  name: 'observation-device-notes',
  up(db) {
    db.exec(`
      ALTER TABLE observations ADD COLUMN device_notes TEXT NOT NULL DEFAULT '[]'
        CHECK (json_valid(device_notes) AND json_type(device_notes) = 'array');
    `);
  },
};
