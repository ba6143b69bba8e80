/**
 * The device provenance columns an observation row carries, read back into a DeviceProvenance (and the
 * device's notes into sentences): by the observation repository and by the sync outbox alike.
 */
import { z } from 'zod';
import { deviceProvenanceSchema, type DeviceProvenance } from '../../../shared/devices/reading';

export interface DeviceProvenanceColumns {
  device_id: string | null;
  /** As stored; checked against the known transports when read. */
  transport: string | null;
  driver: string | null;
  manufacturer: string | null;
  model: string | null;
  serial: string | null;
  firmware: string | null;
  /** Absent where a query does not select it. */
  device_clock_offset_ms?: number | null;
}

/** The device that made the measurement, or null for a value typed in. */
export function deviceProvenanceOf(row: DeviceProvenanceColumns): DeviceProvenance | null {
  if (row.device_id === null || row.transport === null || row.driver === null) return null;
  return deviceProvenanceSchema.parse({
    deviceId: row.device_id,
    transport: row.transport,
    driver: row.driver,
    ...(row.manufacturer !== null ? { manufacturer: row.manufacturer } : {}),
    ...(row.model !== null ? { model: row.model } : {}),
    ...(row.serial !== null ? { serial: row.serial } : {}),
    ...(row.firmware !== null ? { firmware: row.firmware } : {}),
    ...(row.device_clock_offset_ms != null ? { clockOffsetMs: row.device_clock_offset_ms } : {}),
  });
}

const storedNotesSchema = z.array(z.string());

/** The device_notes column (a JSON array of sentences). */
export function deviceNotesOf(row: { device_notes: string }): string[] {
  return storedNotesSchema.parse(JSON.parse(row.device_notes));
}
