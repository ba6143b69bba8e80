/** The clinic's allowed devices at this workstation, kept in the encrypted database. */
import type { Database } from '../connection';
import type { AllowedDevice, AllowedDeviceStore } from '../../devices/types';
import { systemClock, type Clock } from '../../platform/clock';
import { withDbErrors } from '../errors';

interface DeviceRow {
  id: string;
  name: string;
  transport: AllowedDevice['transport'];
  driver: string;
  address: string | null;
  usb_vendor_id: string | null;
  usb_product_id: string | null;
}

function toDevice(row: DeviceRow): AllowedDevice {
  return {
    id: row.id,
    name: row.name,
    transport: row.transport,
    driver: row.driver,
    ...(row.address !== null ? { address: row.address } : {}),
    ...(row.usb_vendor_id !== null ? { usbVendorId: row.usb_vendor_id } : {}),
    ...(row.usb_product_id !== null ? { usbProductId: row.usb_product_id } : {}),
  };
}

export function databaseDeviceStore(db: Database, clock: Clock = systemClock): AllowedDeviceStore {
  const list = db.prepare(
    'SELECT id, name, transport, driver, address, usb_vendor_id, usb_product_id FROM devices ORDER BY name, id',
  );
  const upsert = db.prepare(
    `INSERT INTO devices (id, name, transport, driver, address, usb_vendor_id, usb_product_id, saved_at)
     VALUES (@id, @name, @transport, @driver, @address, @usb_vendor_id, @usb_product_id, @saved_at)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, transport = excluded.transport,
       driver = excluded.driver, address = excluded.address, usb_vendor_id = excluded.usb_vendor_id,
       usb_product_id = excluded.usb_product_id, saved_at = excluded.saved_at`,
  );
  const remove = db.prepare('DELETE FROM devices WHERE id = ?');
  return {
    list: () => withDbErrors(() => (list.all() as DeviceRow[]).map(toDevice)),
    save(device) {
      withDbErrors(() =>
        upsert.run({
          id: device.id,
          name: device.name,
          transport: device.transport,
          driver: device.driver,
          address: device.address ?? null,
          usb_vendor_id: device.usbVendorId ?? null,
          usb_product_id: device.usbProductId ?? null,
          saved_at: clock.now().toISOString(),
        }),
      );
    },
    remove(id) {
      withDbErrors(() => remove.run(id));
    },
  };
}
