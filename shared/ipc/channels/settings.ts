/**
 * Workstation settings: what a user (admin) may change, what IT locked by policy, and what was wrong
 * with the policy file. Settings never hold PHI.
 */
import { z } from 'zod';
import { channel } from '../contract';
import { FEET_AND_INCHES } from '../../clinical/units';
import { DATE_ORDERS } from '../../records/typed-date';

const httpsUrl = z
  .string()
  .url('Enter a full web address.')
  .refine((v) => v.startsWith('https://'), 'The address must start with https://');

/** Every setting a user may change, each with its own check. Also used to validate the store on disk. */
export const userSettingsSchema = z
  .object({
    clinicName: z.string().trim().min(1).max(100),
    workstationName: z.string().trim().min(1).max(100),
    /** FHIR R4 server base URL; null when this workstation does not sync. */
    fhirBaseUrl: httpsUrl.nullable(),
    requireTwoFactor: z.boolean(),
    idleLockMinutes: z.number().int().min(1).max(240),
    reauthTwoFactorAfterMinutes: z.number().int().min(1).max(1440),
    updatesEnabled: z.boolean(),
    updateChannel: z.enum(['latest', 'beta']),
    /** Null: the feed the installer was built with. */
    updateFeedUrl: httpsUrl.nullable(),
    /** UCUM units the screens show by default. */
    temperatureUnit: z.enum(['Cel', '[degF]']),
    weightUnit: z.enum(['kg', '[lb_av]']),
  })
  .strict();
export type UserSettings = z.infer<typeof userSettingsSchema>;
export type SettingKey = keyof UserSettings;
export const SETTING_KEYS = Object.keys(userSettingsSchema.shape) as SettingKey[];

const entry = <T extends z.ZodType>(value: T) =>
  z.object({
    value,
    /**
     * True when only IT's policy sets it (the FHIR server, the update feed, two-step sign-in, and
     * whatever the policy file names): the screen shows a lock, and settings.update refuses it.
     */
    locked: z.boolean(),
    /** For a setting IT bounds (idle lock, second-step interval): the longest an administrator may choose. */
    max: z.number().optional(),
  });

export const effectiveSettingsSchema = z.object({
  clinicName: entry(userSettingsSchema.shape.clinicName),
  workstationName: entry(userSettingsSchema.shape.workstationName),
  fhirBaseUrl: entry(z.string().nullable()),
  requireTwoFactor: entry(z.boolean()),
  idleLockMinutes: entry(z.number()),
  reauthTwoFactorAfterMinutes: entry(z.number()),
  updatesEnabled: entry(z.boolean()),
  updateChannel: entry(userSettingsSchema.shape.updateChannel),
  updateFeedUrl: entry(z.string().nullable()),
  temperatureUnit: entry(userSettingsSchema.shape.temperatureUnit),
  weightUnit: entry(userSettingsSchema.shape.weightUnit),
});
export type EffectiveSettings = z.infer<typeof effectiveSettingsSchema>;

export const policyProblemSchema = z.object({ field: z.string(), message: z.string() });

export const settingsViewSchema = z.object({
  settings: effectiveSettingsSchema,
  /** Settings only IT can set, summarised without secrets. */
  managed: z.object({
    fhirAuth: z.enum(['client-credentials', 'smart-backend']).nullable(),
    allowedDeviceRules: z.number().int().nullable(),
    stagingPercentage: z.number().nullable(),
    /** The order dates are typed in (IT's policy `dateOrder`, else YYYY-MM-DD). */
    dateOrder: z.enum(DATE_ORDERS),
  }),
  policy: z.object({
    file: z.string(),
    status: z.enum(['missing', 'applied', 'applied-with-problems', 'unreadable']),
    problems: z.array(policyProblemSchema),
  }),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

/**
 * One user's own units, over the clinic's: absent ones follow the clinic (Settings) or the canonical
 * unit. Height may be written in feet and inches, which is how the card shows and takes it.
 */
export const myUnitsSchema = z
  .object({
    bodyTemperature: z.enum(['Cel', '[degF]']).optional(),
    bodyWeight: z.enum(['kg', '[lb_av]']).optional(),
    bodyHeight: z.enum(['cm', '[in_i]', FEET_AND_INCHES]).optional(),
    glucose: z.enum(['mg/dL', 'mmol/L']).optional(),
  })
  .strict();
export type MyUnits = z.infer<typeof myUnitsSchema>;

export const settingsChannels = {
  'settings.get': channel({
    summary:
      'The workstation settings in effect, which of them IT locked, and any problem in the policy file',
    audit: { action: 'R', event: 'application-activity' },
    access: ['nurse', 'clinician', 'admin'],
    request: z.object({}).strict(),
    response: settingsViewSchema,
  }),
  'settings.update': channel({
    summary:
      'Change workstation settings; refuses any setting only IT sets and any value beyond the policy’s bounds, and audits each change with its old and new value',
    audit: { action: 'U', event: 'application-activity' },
    access: ['admin'],
    request: userSettingsSchema.partial(),
    response: settingsViewSchema,
  }),
  'settings.myUnits': channel({
    summary: "The signed-in user's own units for temperature, weight, height and glucose",
    audit: { action: 'R', event: 'application-activity' },
    access: ['nurse', 'clinician', 'admin'],
    request: z.object({}).strict(),
    response: myUnitsSchema,
  }),
  'settings.setMyUnits': channel({
    summary: "Save the signed-in user's own units (theirs only; the clinic's units stay as they are)",
    audit: { action: 'U', event: 'application-activity' },
    access: ['nurse', 'clinician', 'admin'],
    request: myUnitsSchema,
    response: myUnitsSchema,
  }),
} as const;
