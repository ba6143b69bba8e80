/**
 * A reading from a device, normalised: what the device manager streams to the renderer and what
 * becomes an Observation when the nurse accepts it. Protocol parsers produce their own typed
 * measurements; a per-profile mapping turns them into this shape, in canonical UCUM units.
 */
import { z } from 'zod';
import { vitalKindSchema } from '../clinical/vital-signs';

export const transportSchema = z.enum(['ble', 'serial']);
export type Transport = z.infer<typeof transportSchema>;

/** Who made a reading: recorded with every observation taken from a device. */
export const deviceProvenanceSchema = z.object({
  deviceId: z.string().min(1),
  transport: transportSchema,
  driver: z.string().min(1),
  manufacturer: z.string().optional(),
  model: z.string().optional(),
  serial: z.string().optional(),
  firmware: z.string().optional(),
  /** BLE address or serial port path / USB ids. */
  address: z.string().optional(),
  /** The device clock minus the workstation's (ms), kept when it was beyond the tolerance. */
  clockOffsetMs: z.number().int().optional(),
});
export type DeviceProvenance = z.infer<typeof deviceProvenanceSchema>;

export const readingValueSchema = z.object({
  kind: vitalKindSchema,
  value: z.number().finite(),
  /** Canonical UCUM unit of the kind (see VITALS). */
  unit: z.string(),
  /** Decimal places the device measured this to (e.g. a 0.05 kg scale: 2), when it said; shown so. */
  decimals: z.number().int().min(0).max(4).optional(),
});
export type ReadingValue = z.infer<typeof readingValueSchema>;

/** How good the device said its signal was (an oximeter's perfusion, artifact, lost pulse): words for the nurse. */
export const signalQualitySchema = z.enum(['good', 'weak', 'poor']);
export type SignalQuality = z.infer<typeof signalQualitySchema>;

export const deviceReadingSchema = z.object({
  readingId: z.string().min(1),
  provenance: deviceProvenanceSchema,
  /** When the device says it measured (its own clock), else when it was received. ISO 8601. */
  measuredAt: z.string(),
  receivedAt: z.string(),
  values: z.array(readingValueSchema).min(1),
  /** Extra facts of the measurement: temperature site, BP cuff status, sensor contact... Words, not codes. */
  notes: z.array(z.string()).default([]),
  /** Live oximeter values: the signal quality the device reported with this value. */
  signalQuality: signalQualitySchema.optional(),
  /** Measured now (absent: live), or sent from the device's memory (a backlog, stored records): never the live value. */
  origin: z.enum(['live', 'memory']).optional(),
  /** A spot-check device (absent) or a streaming one: they stay acceptable for different times. */
  cadence: z.enum(['spot-check', 'streaming']).optional(),
  /** The person a shared cuff or scale says it measured (User ID); absent for none or unknown (0xFF). */
  deviceUser: z.number().int().min(0).max(254).optional(),
  /** Live readings: until when main will accept it (ISO 8601), while the device stays connected. */
  acceptableUntil: z.string().optional(),
});
export type DeviceReading = z.infer<typeof deviceReadingSchema>;

/** A batch of waveform samples (pleth, ECG) for live traces; not stored. */
export const waveformBatchSchema = z.object({
  deviceId: z.string(),
  signal: z.enum(['pleth', 'ecg']),
  sampleRateHz: z.number().positive(),
  /** Sequence number of the first sample, so gaps (dropped samples) are detectable. */
  firstSample: z.number().int().nonnegative(),
  samples: z.array(z.number()),
});
export type WaveformBatch = z.infer<typeof waveformBatchSchema>;
