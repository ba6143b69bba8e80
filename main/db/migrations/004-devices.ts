import type { Migration } from './types';

/** Devices the clinic allows at this workstation (paired by a nurse or admin). */
export const devicesMigration: Migration = {
  version: 4,
  name: 'devices',
  up(db) {
    db.exec(`
      CREATE TABLE devices (
        id              TEXT PRIMARY KEY NOT NULL,
        name            TEXT NOT NULL,
        transport       TEXT NOT NULL CHECK (transport IN ('ble', 'serial')),
        driver          TEXT NOT NULL,
        address         TEXT,
        usb_vendor_id   TEXT,
        usb_product_id  TEXT,
        saved_at        TEXT NOT NULL
      ) STRICT;
    `);
  },
};
