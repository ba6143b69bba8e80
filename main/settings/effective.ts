/**
 * Effective settings: the policy IT set wins over what the user chose, which wins over the defaults;
 * the security settings (./workstation-security) come from the policy and, within its bounds, the
 * administrator's choices in the encrypted database, never from the settings file. Pure, so the
 * precedence is tested as a table.
 */
import type { EffectiveSettings, SettingKey, UserSettings } from '../../shared/ipc/channels/settings';
import type { PolicyField, PolicyLoad } from '../policy/load';
import type { Policy } from '../policy/schema';
import {
  isPolicyOnly,
  withoutSecurityKeys,
  type BoundedKey,
  type SecurityChoices,
} from './workstation-security';

export const DEFAULT_SETTINGS: UserSettings = {
  clinicName: 'Vitals Desk clinic',
  workstationName: 'Intake desk',
  fhirBaseUrl: null,
  requireTwoFactor: true,
  // Five minutes: the clinic's default for an unattended shared workstation (IT may change it by policy).
  idleLockMinutes: 5,
  reauthTwoFactorAfterMinutes: 60,
  updatesEnabled: true,
  updateChannel: 'latest',
  updateFeedUrl: null,
  temperatureUnit: 'Cel',
  weightUnit: 'kg',
};

/** Which policy field (if any) governs each user setting. */
export const POLICY_FIELD_OF: { [K in SettingKey]: PolicyField | null } = {
  clinicName: 'clinicName',
  workstationName: 'workstationName',
  fhirBaseUrl: 'fhir.baseUrl',
  requireTwoFactor: 'requireTwoFactor',
  idleLockMinutes: 'idleLockMinutes',
  reauthTwoFactorAfterMinutes: 'reauthTwoFactorAfterMinutes',
  updatesEnabled: 'updates.enabled',
  updateChannel: 'updates.channel',
  updateFeedUrl: 'updates.feedUrl',
  temperatureUnit: null,
  weightUnit: null,
};

/** The value the policy gives a setting, or undefined when the policy leaves it unset. */
function policyValue<K extends SettingKey>(policy: Policy, key: K): UserSettings[K] | undefined {
  const values: { [S in SettingKey]: UserSettings[S] | undefined } = {
    clinicName: policy.clinicName,
    workstationName: policy.workstationName,
    fhirBaseUrl: policy.fhir?.baseUrl,
    requireTwoFactor: policy.requireTwoFactor,
    idleLockMinutes: policy.idleLockMinutes,
    reauthTwoFactorAfterMinutes: policy.reauthTwoFactorAfterMinutes,
    updatesEnabled: policy.updates?.enabled,
    updateChannel: policy.updates?.channel,
    updateFeedUrl: policy.updates?.feedUrl,
    temperatureUnit: undefined,
    weightUnit: undefined,
  };
  return values[key];
}

export function isLocked(key: SettingKey, policy: Pick<PolicyLoad, 'lockedFields'>): boolean {
  const field = POLICY_FIELD_OF[key];
  return field !== null && policy.lockedFields.includes(field);
}

/** The longest a bounded setting may be: the policy's value, else the default. */
export function boundOf(
  key: BoundedKey,
  policy: Pick<PolicyLoad, 'policy'>,
  defaults: UserSettings = DEFAULT_SETTINGS,
): number {
  return policyValue(policy.policy, key) ?? defaults[key];
}

export function effectiveSettings(
  user: Partial<UserSettings>,
  policy: Pick<PolicyLoad, 'policy' | 'lockedFields'>,
  defaults: UserSettings = DEFAULT_SETTINGS,
  security: SecurityChoices = {},
): EffectiveSettings {
  // The settings file never speaks for the security settings, whatever it holds.
  const preferences: Partial<UserSettings> = withoutSecurityKeys(user);
  const pick = <K extends SettingKey>(key: K): { value: UserSettings[K]; locked: boolean } => {
    if (isPolicyOnly(key)) return { value: policyValue(policy.policy, key) ?? defaults[key], locked: true };
    const locked = isLocked(key, policy);
    if (locked) {
      // A locked field IT set badly has no policy value: the default applies, not the user's choice.
      return { value: policyValue(policy.policy, key) ?? defaults[key], locked };
    }
    return { value: preferences[key] ?? defaults[key], locked };
  };
  const bounded = (key: BoundedKey): { value: number; locked: boolean; max: number } => {
    const max = boundOf(key, policy, defaults);
    const chosen = security[key];
    // A stored choice above the bound (the policy was tightened since) is not used.
    return { value: chosen !== undefined && chosen <= max ? chosen : max, locked: false, max };
  };
  return {
    clinicName: pick('clinicName'),
    workstationName: pick('workstationName'),
    fhirBaseUrl: pick('fhirBaseUrl'),
    requireTwoFactor: pick('requireTwoFactor'),
    idleLockMinutes: bounded('idleLockMinutes'),
    reauthTwoFactorAfterMinutes: bounded('reauthTwoFactorAfterMinutes'),
    updatesEnabled: pick('updatesEnabled'),
    updateChannel: pick('updateChannel'),
    updateFeedUrl: pick('updateFeedUrl'),
    temperatureUnit: pick('temperatureUnit'),
    weightUnit: pick('weightUnit'),
  };
}
