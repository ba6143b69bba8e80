/**
 * The machine-wide policy IT sets for a workstation, as zod schemas, one per field, so a bad field
 * can be named and replaced by its safe default while the good fields still apply.
 */
import { z } from 'zod';
import { BP_GUIDELINES, type BpGuideline } from '../../shared/clinical/guidelines/blood-pressure';
import { DATE_ORDERS, type DateOrder } from '../../shared/records/typed-date';

const httpsUrl = z
  .string()
  .url('must be a web address')
  .refine((value) => value.startsWith('https://'), 'must start with https://');

const name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const fhirAuthSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('client-credentials'),
      tokenUrl: httpsUrl,
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      scope: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      // SMART Backend Services: a signed JWT assertion with the workstation's private key.
      type: z.literal('smart-backend'),
      tokenUrl: httpsUrl,
      clientId: z.string().min(1),
      keyFile: z.string().min(1),
      scope: z.string().min(1).optional(),
    })
    .strict(),
]);
export type FhirAuth = z.infer<typeof fhirAuthSchema>;

const hex4 = z.string().regex(/^[0-9a-fA-F]{4}$/, 'must be 4 hexadecimal digits');

/** A device (or family of devices) the clinic allows at its workstations. */
export const allowedDeviceRuleSchema = z
  .object({
    transport: z.enum(['ble', 'serial']),
    /** Driver id, e.g. `ble.blood-pressure`, `serial.nonin-8`. Absent: any driver of that transport. */
    driver: z.string().min(1).max(64).optional(),
    usbVendorId: hex4.optional(),
    usbProductId: hex4.optional(),
    address: z.string().min(1).max(64).optional(),
    name: z.string().min(1).max(100).optional(),
  })
  .strict();
export type AllowedDeviceRule = z.infer<typeof allowedDeviceRuleSchema>;

export const updateChannelSchema = z.enum(['latest', 'beta']);

/** Each field's schema. Exported per field so the loader can check them one at a time. */
export const policyFieldSchemas = {
  clinicName: name,
  workstationName: name,
  requireTwoFactor: z.boolean(),
  idleLockMinutes: z.number().int('must be a whole number').min(1).max(240),
  reauthTwoFactorAfterMinutes: z.number().int('must be a whole number').min(1).max(1440),
  allowedDevices: z.array(allowedDeviceRuleSchema).max(500),
  /** Open serial ports without USB ids (built-in RS-232 ports); default no: only identified USB devices. */
  allowSerialPortsWithoutUsbIds: z.boolean(),
  /** A device time further than this from the workstation's is not believed (default 5). */
  deviceClockToleranceMinutes: z.number().int('must be a whole number').min(1).max(1440),
  /** Set a device's clock (Current Time Service) every time it connects, where it allows it. */
  setDeviceClockOnConnect: z.boolean(),
  /** How long a spot-check device's live value stays acceptable (default 30). */
  readingFreshSpotCheckSeconds: z.number().int('must be a whole number').min(5).max(600),
  /** How long a streaming device's (continuous oximeter) live value stays acceptable (default 5). */
  readingFreshStreamingSeconds: z.number().int('must be a whole number').min(1).max(60),
  /** The blood-pressure guideline the review flags by (default ACC/AHA 2017). */
  bpGuideline: z.enum(BP_GUIDELINES),
  /** The hosts the visit's video link may point to (and their subdomains); absent: any https host. */
  videoLinkHosts: z
    .array(z.string().regex(/^(\*\.)?[a-z0-9.-]+$/i, 'must be host names such as meet.clinic.example'))
    .max(50),
  /** The order dates (birth dates) are typed in at this clinic (default YYYY-MM-DD). */
  dateOrder: z.enum(DATE_ORDERS),
  /** The largest home-data file (or unpacked Apple Health export) a nurse may import, in bytes (default 4 GiB). */
  homeImportMaxBytes: z
    .number()
    .int('must be a whole number')
    .min(1024 * 1024)
    .max(64 * 1024 ** 3),
} as const;

/**
 * An identifier system as an absolute URI (FHIR R4 datatypes.html#Identifier, terminologies-systems):
 * an OID as urn:oid:1.2.…, a UUID as urn:uuid:…, or a web address the clinic controls.
 */
const identifierSystem = z
  .string()
  .max(256, 'must be at most 256 characters')
  .refine((v) => {
    if (/^urn:oid:[0-2](\.(0|[1-9]\d*))+$/.test(v)) return true;
    if (/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) return true;
    if (!/^https?:\/\/[^\s]+$/.test(v)) return false;
    try {
      const url = new URL(v);
      return url.hostname.length > 0 && !url.username && !url.password && !url.hash;
    } catch {
      return false;
    }
  }, 'must be an absolute identifier system: urn:oid:1.2.3…, urn:uuid:… or an https:// address');

export const fhirFieldSchemas = {
  baseUrl: httpsUrl,
  auth: fhirAuthSchema,
  /** The clinic's MRN identifier system on its FHIR server (an OID urn or a web address). */
  mrnSystem: identifierSystem,
  /** The system of the identifier each measurement carries (default urn:vitals-desk:observation). */
  observationSystem: identifierSystem,
  /** The system of the identifier each visit carries (default urn:vitals-desk:encounter). */
  encounterSystem: identifierSystem,
  /** The most entries sync puts in one transaction (default 100); fewer when the server refuses that many. */
  maxEntriesPerTransaction: z.number().int('must be a whole number').min(1).max(1000),
} as const;

export const updatesFieldSchemas = {
  enabled: z.boolean(),
  channel: updateChannelSchema,
  feedUrl: httpsUrl,
  /** Share (0–100) of this clinic's workstations that take a new version in a staged rollout. */
  stagingPercentage: z.number().min(0).max(100),
} as const;

/** The policy after loading: every field optional, because IT sets only what it wants to lock. */
export interface Policy {
  clinicName?: string;
  workstationName?: string;
  fhir?: {
    baseUrl?: string;
    auth?: FhirAuth;
    mrnSystem?: string;
    observationSystem?: string;
    encounterSystem?: string;
    maxEntriesPerTransaction?: number;
  };
  requireTwoFactor?: boolean;
  idleLockMinutes?: number;
  reauthTwoFactorAfterMinutes?: number;
  allowedDevices?: AllowedDeviceRule[];
  allowSerialPortsWithoutUsbIds?: boolean;
  deviceClockToleranceMinutes?: number;
  setDeviceClockOnConnect?: boolean;
  readingFreshSpotCheckSeconds?: number;
  readingFreshStreamingSeconds?: number;
  bpGuideline?: BpGuideline;
  /** `'none'`: IT's list was unreadable, so no host is allowed (see shared/visit/video-link). */
  videoLinkHosts?: string[] | 'none';
  dateOrder?: DateOrder;
  homeImportMaxBytes?: number;
  updates?: {
    enabled?: boolean;
    channel?: z.infer<typeof updateChannelSchema>;
    feedUrl?: string;
    stagingPercentage?: number;
  };
}

/** The whole file, strictly: used to document and to check a complete example. */
export const policyFileSchema = z
  .object({
    clinicName: policyFieldSchemas.clinicName.optional(),
    workstationName: policyFieldSchemas.workstationName.optional(),
    fhir: z
      .object({
        baseUrl: fhirFieldSchemas.baseUrl.optional(),
        auth: fhirAuthSchema.optional(),
        mrnSystem: fhirFieldSchemas.mrnSystem.optional(),
        observationSystem: fhirFieldSchemas.observationSystem.optional(),
        encounterSystem: fhirFieldSchemas.encounterSystem.optional(),
        maxEntriesPerTransaction: fhirFieldSchemas.maxEntriesPerTransaction.optional(),
      })
      .strict()
      .optional(),
    requireTwoFactor: policyFieldSchemas.requireTwoFactor.optional(),
    idleLockMinutes: policyFieldSchemas.idleLockMinutes.optional(),
    reauthTwoFactorAfterMinutes: policyFieldSchemas.reauthTwoFactorAfterMinutes.optional(),
    allowedDevices: policyFieldSchemas.allowedDevices.optional(),
    allowSerialPortsWithoutUsbIds: policyFieldSchemas.allowSerialPortsWithoutUsbIds.optional(),
    deviceClockToleranceMinutes: policyFieldSchemas.deviceClockToleranceMinutes.optional(),
    setDeviceClockOnConnect: policyFieldSchemas.setDeviceClockOnConnect.optional(),
    readingFreshSpotCheckSeconds: policyFieldSchemas.readingFreshSpotCheckSeconds.optional(),
    readingFreshStreamingSeconds: policyFieldSchemas.readingFreshStreamingSeconds.optional(),
    bpGuideline: policyFieldSchemas.bpGuideline.optional(),
    videoLinkHosts: policyFieldSchemas.videoLinkHosts.optional(),
    dateOrder: policyFieldSchemas.dateOrder.optional(),
    homeImportMaxBytes: policyFieldSchemas.homeImportMaxBytes.optional(),
    updates: z
      .object({
        enabled: updatesFieldSchemas.enabled.optional(),
        channel: updatesFieldSchemas.channel.optional(),
        feedUrl: updatesFieldSchemas.feedUrl.optional(),
        stagingPercentage: updatesFieldSchemas.stagingPercentage.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * What a field IT tried to set but got wrong falls back to: the cautious choice, locked, so a typo in
 * the policy never loosens security (two-factor stays on, the screen locks soon, no unvetted updates).
 */
export const SAFE_DEFAULTS = {
  requireTwoFactor: true,
  idleLockMinutes: 5,
  reauthTwoFactorAfterMinutes: 60,
  allowedDevices: [] as AllowedDeviceRule[],
  updatesEnabled: false,
} as const;
