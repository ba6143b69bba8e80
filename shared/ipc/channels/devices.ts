/**
 * Devices: the clinic's allowed (paired) devices, their live status, readings and waveforms.
 * A reading here is only a proposal: it becomes an Observation when the nurse accepts it (intake).
 */
import { z } from 'zod';
import { channel, event } from '../contract';
import { deviceReadingSchema, transportSchema, waveformBatchSchema } from '../../devices/reading';
import { confirmationSchema } from '../../clinical/confirmation';
import { observationSchema } from '../../records/observation';

export const deviceStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('disconnected') }),
  z.object({ state: z.literal('connecting') }),
  /** `detail`: why a connected device gives no value (sensor off, not steady); never a clinical value. */
  z.object({ state: z.literal('connected'), detail: z.string().optional() }),
  z.object({ state: z.literal('reading') }),
  /**
   * The nurse wants it connected but it is not there (unplugged, port gone, out of range): the app
   * retries with growing delays. `reason` says why, for the nurse; `nextAttemptAt` when it tries next.
   */
  z.object({ state: z.literal('waiting'), reason: z.string(), nextAttemptAt: z.string().optional() }),
  /** `reason` is a sentence for the nurse, never a clinical value. */
  z.object({ state: z.literal('error'), reason: z.string() }),
]);

/** Battery as the device reports it: a percentage (BLE Battery Service) or only a low-battery flag (Nonin). */
export const deviceBatterySchema = z.object({
  percent: z.number().int().min(0).max(100).optional(),
  low: z.boolean(),
});

export const deviceClockSchema = z.object({
  writable: z.boolean(),
  /** Device clock minus the workstation's, in ms; absent when it could not be read. */
  offsetMs: z.number().optional(),
});

const usbIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{4}$/, 'A USB id is four hexadecimal digits, e.g. 0403.')
  .transform((s) => s.toLowerCase());

export const allowedDeviceSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  transport: transportSchema,
  driver: z.string(),
  address: z.string().optional(),
  usbVendorId: z.string().optional(),
  usbProductId: z.string().optional(),
});

export const deviceEntrySchema = allowedDeviceSchema.extend({
  status: deviceStatusSchema,
  battery: deviceBatterySchema.nullable(),
  info: z.object({
    manufacturer: z.string().optional(),
    model: z.string().optional(),
    serial: z.string().optional(),
    firmware: z.string().optional(),
    /** What the device says it can do (Bluetooth Feature characteristics), in words. */
    features: z.array(z.string().max(100)).max(20).optional(),
    /** How the app reads this model's known deviations from the specification (quirk table), in words. */
    adjustments: z.array(z.string().max(100)).max(10).optional(),
  }),
  /** The latest reading, so the intake screen can show a live value before the nurse accepts it. */
  lastReading: deviceReadingSchema.nullable(),
  /** Readings the device sent from its memory, for the nurse to accept explicitly (never the live value). */
  memory: z.array(deviceReadingSchema).default([]),
  /** The device's own clock, where it exposes Current Time: whether it can be set, and its offset (ms). */
  clock: deviceClockSchema.nullable().default(null),
});
export type DeviceEntry = z.infer<typeof deviceEntrySchema>;

export const bluetoothStateSchema = z.object({
  state: z.enum(['poweredOn', 'poweredOff', 'unsupported', 'unauthorized', 'resetting', 'unknown']),
  /** What to show the nurse, e.g. "Bluetooth unavailable". */
  message: z.string(),
});
export type BluetoothState = z.infer<typeof bluetoothStateSchema>;

export const deviceDriverSchema = z.object({
  id: z.string(),
  transport: transportSchema,
  name: z.string(),
});

export const serialPortSchema = z.object({
  path: z.string(),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
  vendorId: z.string().optional(),
  productId: z.string().optional(),
});
export type SerialPortSummary = z.infer<typeof serialPortSchema>;

export const bleScanResultSchema = z.object({
  address: z.string(),
  name: z.string().optional(),
  /** Health service UUIDs advertised (16-bit, lowercase hex). */
  services: z.array(z.string()),
  rssi: z.number().optional(),
  /** A driver id whose service the device advertises, if any. */
  suggestedDriver: z.string().optional(),
});
export type BleScanResult = z.infer<typeof bleScanResultSchema>;

const deviceIdRequest = z.object({ id: z.string().min(1).max(100) }).strict();

const readingIdSchema = z.string().min(1).max(100);

const acceptRequestSchema = z
  .object({
    readingId: readingIdSchema,
    patientId: z.string().uuid(),
    encounterId: z.string().uuid().optional(),
    /** SpO2 taken on oxygen: the flow in L/min, recorded with it. */
    oxygenFlowLpm: z.number().positive().max(60).optional(),
    /** The second confirmation of a rare value (shared/clinical/confirmation.ts), as for a typed one. */
    confirmed: z.array(confirmationSchema).max(2).optional(),
  })
  .strict();

const acceptResponseSchema = z.object({
  observations: z.array(observationSchema),
  /** The reading had been filed before: nothing was added. */
  alreadyAccepted: z.boolean(),
  /** What to announce, e.g. "Accepted 122/78 mmHg from Desk cuff". */
  message: z.string(),
});

export const devicesChannels = {
  'devices.list': channel({
    summary: 'The devices allowed at this workstation, with live status, battery and the Bluetooth state',
    audit: { action: 'R', event: 'application-activity' },
    access: ['nurse', 'clinician', 'admin'],
    request: z.object({}).strict(),
    response: z.object({
      devices: z.array(deviceEntrySchema),
      bluetooth: bluetoothStateSchema,
      drivers: z.array(deviceDriverSchema),
    }),
  }),
  'devices.pair': channel({
    summary: 'Allow a device at this workstation (name, transport, driver, address or USB ids)',
    audit: { action: 'C', event: 'application-activity' },
    access: ['nurse', 'admin'],
    request: z
      .object({
        name: z.string().trim().min(1).max(80),
        transport: transportSchema,
        driver: z.string().min(1).max(60),
        address: z.string().trim().min(1).max(200).optional(),
        usbVendorId: usbIdSchema.optional(),
        usbProductId: usbIdSchema.optional(),
      })
      .strict(),
    response: deviceEntrySchema,
  }),
  'devices.unpair': channel({
    summary: 'Stop allowing a device at this workstation (disconnects it first)',
    audit: { action: 'D', event: 'application-activity' },
    access: ['nurse', 'admin'],
    request: deviceIdRequest,
    response: z.object({ id: z.string() }),
  }),
  'devices.connect': channel({
    summary: 'Connect an allowed device and start streaming its readings',
    audit: { action: 'E', event: 'application-activity' },
    access: ['nurse'],
    request: deviceIdRequest,
    response: deviceEntrySchema,
  }),
  'devices.disconnect': channel({
    summary: 'Disconnect a device (it stays allowed)',
    audit: { action: 'E', event: 'application-activity' },
    access: ['nurse'],
    request: deviceIdRequest,
    response: deviceEntrySchema,
  }),
  'devices.serialPorts': channel({
    summary: 'Serial ports on this computer, with USB vendor/product ids where the system gives them',
    audit: { action: 'R', event: 'application-activity' },
    access: ['nurse', 'admin'],
    request: z.object({}).strict(),
    response: z.object({
      ports: z.array(serialPortSchema),
      /** False when the full listing was unavailable and only a basic one could be made; `note` says why. */
      complete: z.boolean(),
      note: z.string().optional(),
    }),
  }),
  'devices.bleScan': channel({
    summary: 'Look for nearby Bluetooth health devices for a few seconds',
    audit: { action: 'E', event: 'application-activity' },
    access: ['nurse', 'admin'],
    request: z.object({ seconds: z.number().int().min(1).max(30).default(5) }).strict(),
    response: z.object({ devices: z.array(bleScanResultSchema) }),
  }),
  'devices.accept': channel({
    summary:
      'File a device reading for the patient at this desk: once per reading, only while it may be accepted',
    audit: { action: 'C', event: 'rest' },
    access: ['nurse'],
    phi: 'write',
    request: acceptRequestSchema,
    response: acceptResponseSchema,
  }),
  'devices.fileHeldReading': channel({
    summary:
      "A shared cuff's or scale's reading for a user not matched to this patient: the nurse files it to this patient",
    audit: { action: 'C', event: 'rest' },
    access: ['nurse'],
    phi: 'write',
    request: acceptRequestSchema,
    response: acceptResponseSchema,
  }),
  'devices.discardHeldReading': channel({
    summary: "A shared cuff's or scale's reading for another person: the nurse discards it (not filed)",
    audit: { action: 'D', event: 'rest' },
    access: ['nurse'],
    phi: 'write',
    request: z.object({ readingId: readingIdSchema, patientId: z.string().uuid() }).strict(),
    response: z.object({ readingId: z.string() }),
  }),
  'devices.userMatches': channel({
    summary: "Which users of shared cuffs and scales were matched to this patient's visit",
    audit: { action: 'R', event: 'rest' },
    access: ['nurse'],
    phi: 'read',
    request: z.object({ patientId: z.string().uuid(), encounterId: z.string().uuid().optional() }).strict(),
    response: z.array(z.object({ deviceId: z.string(), deviceUser: z.number().int() })),
  }),
  'devices.setClock': channel({
    summary: "Set a device's clock to this computer's (Current Time Service), where the device allows it",
    audit: { action: 'E', event: 'application-activity' },
    access: ['nurse', 'admin'],
    request: deviceIdRequest,
    response: deviceEntrySchema,
  }),
} as const;

export const devicesEvents = {
  'devices.status': event({
    access: ['nurse', 'clinician', 'admin'],
    summary: 'A device connected, started reading, disconnected or failed; or its battery changed',
    payload: z.object({
      deviceId: z.string(),
      status: deviceStatusSchema,
      battery: deviceBatterySchema.nullable(),
      clock: deviceClockSchema.nullable().optional(),
      /** Who the device is and its features, as read at connect (the device details). */
      info: deviceEntrySchema.shape.info.optional(),
    }),
  }),
  'devices.reading': event({
    access: ['nurse', 'clinician'],
    summary: 'A new reading from a device, for the nurse to accept or ignore',
    payload: deviceReadingSchema,
  }),
  'devices.waveform': event({
    access: ['nurse', 'clinician'],
    summary: 'A batch of live waveform samples (pleth), numbered so gaps show',
    payload: waveformBatchSchema,
  }),
  'devices.cuffPressure': event({
    access: ['nurse', 'clinician'],
    summary: 'A blood-pressure cuff’s pressure while it measures (progress for the nurse; never recorded)',
    payload: z.object({ deviceId: z.string(), mmHg: z.number().int().min(0).max(350) }),
  }),
  'devices.bluetooth': event({
    access: ['nurse', 'clinician', 'admin'],
    summary: 'The Bluetooth adapter changed state (on, off, unavailable)',
    payload: bluetoothStateSchema,
  }),
} as const;
