/**
 * The settings that steer where patient data goes and who may see it: the FHIR server, the update feed,
 * two-step sign-in, the idle lock and how often the second step is asked again. None of them is ever
 * read from the per-user settings file, which anyone signed in to the computer can edit.
 *
 * - Policy only: the FHIR server address and the update feed (whose credentials and trust come from
 *   the same policy), and whether two-step sign-in is required. The policy's value, else the default.
 * - Bounded: the idle lock and the second-step interval. The policy's value (else the default) is the
 *   longest allowed; an administrator may choose a shorter one in the app. That choice is kept in the
 *   encrypted database, and a stored value above the bound is never used.
 */
import type { SettingKey, UserSettings } from '../../shared/ipc/channels/settings';

export const POLICY_ONLY_KEYS = ['fhirBaseUrl', 'updateFeedUrl', 'requireTwoFactor'] as const;
export const BOUNDED_KEYS = ['idleLockMinutes', 'reauthTwoFactorAfterMinutes'] as const;
export type PolicyOnlyKey = (typeof POLICY_ONLY_KEYS)[number];
export type BoundedKey = (typeof BOUNDED_KEYS)[number];
export type SecurityKey = PolicyOnlyKey | BoundedKey;

export const SECURITY_KEYS: readonly SecurityKey[] = [...POLICY_ONLY_KEYS, ...BOUNDED_KEYS];

export const isPolicyOnly = (key: SettingKey): key is PolicyOnlyKey =>
  (POLICY_ONLY_KEYS as readonly string[]).includes(key);
export const isBounded = (key: SettingKey): key is BoundedKey =>
  (BOUNDED_KEYS as readonly string[]).includes(key);
export const isSecurityKey = (key: string): key is SecurityKey =>
  (SECURITY_KEYS as readonly string[]).includes(key);

/** The administrator's choices for the bounded settings. */
export type SecurityChoices = Partial<Pick<UserSettings, BoundedKey>>;

/** Where the administrator's choices are kept: the encrypted database (./security-store-db). */
export interface SecurityChoiceStore {
  read(): SecurityChoices;
  write(key: BoundedKey, value: number, at: string, by: string | null): void;
  /** How to put back exactly what is stored now (a change whose audit record could not be written). */
  checkpoint(): () => void;
}

/** In memory: for unit tests of the settings service. */
export function memorySecurityChoiceStore(initial: SecurityChoices = {}): SecurityChoiceStore {
  const values: SecurityChoices = { ...initial };
  return {
    read: () => ({ ...values }),
    write(key, value) {
      values[key] = value;
    },
    checkpoint() {
      const kept = { ...values };
      return () => {
        for (const key of BOUNDED_KEYS) delete values[key];
        Object.assign(values, kept);
      };
    },
  };
}

/** Drops the keys the settings file may not hold, whatever a file (or an older version) wrote there. */
export function withoutSecurityKeys<T extends Partial<UserSettings>>(values: T): Omit<T, SecurityKey> {
  const out: Partial<UserSettings> = { ...values };
  for (const key of SECURITY_KEYS) delete out[key];
  return out as Omit<T, SecurityKey>;
}
