/**
 * Reads and checks the policy file. Never throws: a missing file means "nothing managed", and a bad
 * file still starts the app, with each bad field named, replaced by its safe default and locked.
 */
import { readFileSync } from 'node:fs';
import { systemWriterCheck, type WriterCheck } from './writers';
import type { z } from 'zod';
import {
  fhirFieldSchemas,
  policyFieldSchemas,
  SAFE_DEFAULTS,
  updatesFieldSchemas,
  type Policy,
} from './schema';

export const POLICY_FIELDS = [
  'clinicName',
  'workstationName',
  'fhir.baseUrl',
  'fhir.auth',
  'fhir.mrnSystem',
  'fhir.observationSystem',
  'fhir.encounterSystem',
  'fhir.maxEntriesPerTransaction',
  'requireTwoFactor',
  'idleLockMinutes',
  'reauthTwoFactorAfterMinutes',
  'allowedDevices',
  'allowSerialPortsWithoutUsbIds',
  'deviceClockToleranceMinutes',
  'setDeviceClockOnConnect',
  'readingFreshSpotCheckSeconds',
  'readingFreshStreamingSeconds',
  'bpGuideline',
  'videoLinkHosts',
  'dateOrder',
  'homeImportMaxBytes',
  'updates.enabled',
  'updates.channel',
  'updates.feedUrl',
  'updates.stagingPercentage',
] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** The values a group of field schemas yields, each optional (IT sets only what it locks). */
type FieldValues<S extends { [K in keyof S]: z.ZodType }> = { [K in keyof S]?: z.output<S[K]> };

export interface PolicyProblem {
  /** The field as IT wrote it in the file, e.g. `updates.feedUrl`; `policy file` for the file as a whole. */
  field: string;
  /** A sentence for the banner. Never the value itself: it may be a secret. */
  message: string;
}

export interface PolicyLoad {
  /** Where the policy was looked for. */
  file: string;
  status: 'missing' | 'applied' | 'applied-with-problems' | 'unreadable';
  /** Good values, plus safe defaults in place of bad ones. */
  policy: Policy;
  /** Fields IT set (even if badly): the user may not change them. */
  lockedFields: PolicyField[];
  problems: PolicyProblem[];
}

/** Larger than any sensible policy: refuse rather than parse megabytes at start-up. */
const MAX_POLICY_BYTES = 256 * 1024;

export const noPolicy = (file: string): PolicyLoad => ({
  file,
  status: 'missing',
  policy: {},
  lockedFields: [],
  problems: [],
});

/**
 * Loads the policy file at `file`. `read` is injectable so tests can simulate unreadable files;
 * `writers` checks that only administrators can change the file and its folder (./writers).
 */
export function loadPolicyFile(
  file: string,
  read: (file: string) => Buffer = (f) => readFileSync(f),
  writers: WriterCheck = systemWriterCheck(),
): PolicyLoad {
  let bytes: Buffer;
  try {
    bytes = read(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return noPolicy(file);
    return unusable(file, 'unreadable', `could not be read (${code ?? 'error'}); safe defaults apply.`);
  }
  // A file someone other than an administrator can change is not IT's policy: none of it applies.
  let writable: string | null;
  try {
    writable = writers(file);
  } catch {
    writable = 'its permissions could not be checked';
  }
  if (writable) {
    return unusable(
      file,
      'unreadable',
      `is refused because ${writable}. Only administrators may be able to change the policy file and its folder; safe defaults apply until IT fixes its permissions.`,
    );
  }
  if (bytes.length > MAX_POLICY_BYTES) {
    return unusable(file, 'applied-with-problems', 'is larger than 256 KB; safe defaults apply.');
  }
  return { file, ...parsePolicy(bytes.toString('utf8')) };
}

/** Parses the text of a policy file, field by field. Pure. */
export function parsePolicy(text: string): Omit<PolicyLoad, 'file'> {
  let raw: unknown;
  try {
    // A UTF-8 byte-order mark is common in files written with Windows tools.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return withoutFile(unusable('', 'applied-with-problems', 'is not valid JSON; safe defaults apply.'));
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return withoutFile(
      unusable('', 'applied-with-problems', 'must be a JSON object ({ ... }); safe defaults apply.'),
    );
  }

  const policy: Policy = {};
  const lockedFields: PolicyField[] = [];
  const problems: PolicyProblem[] = [];
  const record = raw as Record<string, unknown>;

  const check = <S extends z.ZodType>(
    field: PolicyField,
    schema: S,
    value: unknown,
    apply: (v: z.output<S>) => void,
    applySafeDefault?: () => void,
  ): void => {
    if (value === undefined) return;
    lockedFields.push(field);
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      apply(parsed.data);
      return;
    }
    problems.push({ field, message: describe(parsed.error, applySafeDefault !== undefined) });
    applySafeDefault?.();
  };

  for (const key of Object.keys(record)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      problems.push({ field: key, message: 'is not a policy setting Vitals Desk knows; it was ignored.' });
    }
  }

  /** Checks every field of one part of the policy, in the schemas' order, into `target`. */
  const checkAll = <S extends { [K in keyof S]: z.ZodType }>(
    prefix: '' | 'fhir.' | 'updates.',
    schemas: S,
    source: Record<string, unknown>,
    target: FieldValues<S>,
    safeDefaults: { [K in keyof S]?: () => void } = {},
  ): void => {
    for (const key of Object.keys(schemas) as (keyof S & string)[]) {
      // The three field schemas' keys, so prefixed, are exactly the fields POLICY_FIELDS lists.
      const field = `${prefix}${key}` as PolicyField;
      check(field, schemas[key], source[key], (v) => (target[key] = v), safeDefaults[key]);
    }
  };

  // Checked into its own object: the policy's `videoLinkHosts` also has the value 'none', no file field has.
  const fields: FieldValues<typeof policyFieldSchemas> = {};
  checkAll('', policyFieldSchemas, record, fields, {
    requireTwoFactor: () => (policy.requireTwoFactor = SAFE_DEFAULTS.requireTwoFactor),
    idleLockMinutes: () => (policy.idleLockMinutes = SAFE_DEFAULTS.idleLockMinutes),
    reauthTwoFactorAfterMinutes: () =>
      (policy.reauthTwoFactorAfterMinutes = SAFE_DEFAULTS.reauthTwoFactorAfterMinutes),
    allowedDevices: () => (policy.allowedDevices = [...SAFE_DEFAULTS.allowedDevices]),
    // IT meant to restrict the video hosts: keep the entries that are host names, and allow none if none is.
    videoLinkHosts: () => (policy.videoLinkHosts = readableHosts(record.videoLinkHosts)),
  });
  Object.assign(policy, fields);

  const fhirKeys = Object.keys(fhirFieldSchemas) as (keyof typeof fhirFieldSchemas)[];
  const fhir = section(record, 'fhir', fhirKeys, problems);
  if (fhir === null) {
    // IT meant to manage the FHIR connection: lock it, unconfigured, rather than let a user point it elsewhere.
    policy.fhir = {};
    lockedFields.push(...fhirKeys.map((key) => `fhir.${key}` as const));
  } else if (fhir) {
    policy.fhir = {};
    checkAll('fhir.', fhirFieldSchemas, fhir, policy.fhir);
  }

  const updates = section(record, 'updates', Object.keys(updatesFieldSchemas), problems);
  if (updates === null) {
    policy.updates = { enabled: SAFE_DEFAULTS.updatesEnabled };
    lockedFields.push('updates.enabled');
  } else if (updates) {
    policy.updates = {};
    const target = policy.updates;
    checkAll('updates.', updatesFieldSchemas, updates, target, {
      enabled: () => (target.enabled = SAFE_DEFAULTS.updatesEnabled),
      // An insecure or malformed feed must not leave updates pointing elsewhere: switch them off.
      feedUrl: () => {
        target.enabled = SAFE_DEFAULTS.updatesEnabled;
        if (!lockedFields.includes('updates.enabled')) lockedFields.push('updates.enabled');
      },
    });
  }

  return {
    status: problems.length > 0 ? 'applied-with-problems' : 'applied',
    policy,
    lockedFields,
    problems,
  };
}

const TOP_LEVEL_KEYS = new Set([
  'clinicName',
  'workstationName',
  'fhir',
  'requireTwoFactor',
  'idleLockMinutes',
  'reauthTwoFactorAfterMinutes',
  'allowedDevices',
  'allowSerialPortsWithoutUsbIds',
  'deviceClockToleranceMinutes',
  'setDeviceClockOnConnect',
  'readingFreshSpotCheckSeconds',
  'readingFreshStreamingSeconds',
  'bpGuideline',
  'videoLinkHosts',
  'dateOrder',
  'homeImportMaxBytes',
  'updates',
  // Lets IT keep a JSON Schema reference or a note in the file.
  '$schema',
  'comment',
]);

/** A nested object of the policy (`fhir`, `updates`): undefined when absent, null (and a problem) when not an object. */
function section(
  record: Record<string, unknown>,
  key: 'fhir' | 'updates',
  known: readonly string[],
  problems: PolicyProblem[],
): Record<string, unknown> | null | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ field: key, message: 'must be an object ({ ... }); safe defaults apply.' });
    return null;
  }
  const section = value as Record<string, unknown>;
  for (const name of Object.keys(section)) {
    if (!known.includes(name)) {
      problems.push({
        field: `${key}.${name}`,
        message: 'is not a policy setting Vitals Desk knows; it was ignored.',
      });
    }
  }
  return section;
}

/** A policy whose file is unusable as a whole: every security field at its safe default, locked. */
function unusable(file: string, status: PolicyLoad['status'], message: string): PolicyLoad {
  return {
    file,
    status,
    policy: {
      requireTwoFactor: SAFE_DEFAULTS.requireTwoFactor,
      idleLockMinutes: SAFE_DEFAULTS.idleLockMinutes,
      reauthTwoFactorAfterMinutes: SAFE_DEFAULTS.reauthTwoFactorAfterMinutes,
      updates: { enabled: SAFE_DEFAULTS.updatesEnabled },
    },
    lockedFields: ['requireTwoFactor', 'idleLockMinutes', 'reauthTwoFactorAfterMinutes', 'updates.enabled'],
    problems: [{ field: 'policy file', message }],
  };
}

function withoutFile(load: PolicyLoad): Omit<PolicyLoad, 'file'> {
  const { file: _file, ...rest } = load;
  return rest;
}

/** A sentence from zod's issues, without the offending value (it may be a secret). */
function readableHosts(value: unknown): string[] | 'none' {
  const entry = policyFieldSchemas.videoLinkHosts.element;
  const hosts = Array.isArray(value) ? value.filter((h) => entry.safeParse(h).success).slice(0, 50) : [];
  return hosts.length > 0 ? (hosts as string[]) : 'none';
}

function describe(error: z.ZodError, hasSafeDefault: boolean): string {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? ` (at ${first.path.join('.')})` : '';
  const what = first ? lowerFirst(first.message) : 'is not valid';
  return `${what}${where}; ${hasSafeDefault ? 'the safe default applies' : 'it was not applied'}.`;
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}
