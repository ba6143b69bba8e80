/**
 * The settings service: the effective settings (policy over user over defaults, and the security
 * settings from the policy and the administrator's bounded choices only), the view the Settings screen
 * shows, and changes that refuse what only IT sets or what lies beyond the policy's bounds. Nothing is
 * saved when any part of a change is refused; each saved change is reported with its old and new value.
 */
import { AppError } from '../../shared/ipc/errors';
import type {
  EffectiveSettings,
  SettingKey,
  SettingsView,
  UserSettings,
} from '../../shared/ipc/channels/settings';
import { DEFAULT_DATE_ORDER } from '../../shared/records/typed-date';
import type { Logger } from '../logging/logger';
import type { PolicyLoad } from '../policy/load';
import { boundOf, DEFAULT_SETTINGS, effectiveSettings, isLocked } from './effective';
import { SETTING_LABELS } from './labels';
import type { SettingsStore } from './store';
import {
  isBounded,
  isPolicyOnly,
  withoutSecurityKeys,
  type BoundedKey,
  type SecurityChoiceStore,
} from './workstation-security';

export interface SettingChange {
  key: SettingKey;
  from: unknown;
  to: unknown;
}

export interface SettingsService {
  readonly policy: PolicyLoad;
  effective(): EffectiveSettings;
  view(): SettingsView;
  /**
   * Saves `changes` (by the user `by`, for the record) and says what changed from what to what, and how
   * to put back what was stored before (when the change's audit record cannot be written).
   */
  update(
    changes: Partial<UserSettings>,
    by?: string | null,
  ): { view: SettingsView; changed: SettingChange[]; restore: () => void };
}

export const SETTINGS_MESSAGES = {
  securityUnavailable:
    'The security settings are kept in the encrypted database, which is not open, so nothing was changed.',
  beyondBound: (label: string, max: number) =>
    `${label} may be at most ${max} on this workstation (your IT department's limit). Nothing was changed.`,
} as const;

export function createSettingsService(options: {
  store: SettingsStore;
  policy: PolicyLoad;
  defaults?: Partial<UserSettings>;
  /** The administrator's bounded security choices (the encrypted database), or undefined while it is not open. */
  securityChoices?: () => SecurityChoiceStore | undefined;
  clock?: { now(): Date };
  logger: Logger;
}): SettingsService {
  const { store, policy, logger } = options;
  const defaults: UserSettings = { ...DEFAULT_SETTINGS, ...options.defaults };
  const securityStore = () => options.securityChoices?.();
  const now = () => (options.clock ?? { now: () => new Date() }).now().toISOString();

  if (policy.problems.length > 0) {
    // Field names only: values may be secrets (client secrets) or site details.
    // Logged as tokens (the log redactor keeps no spaces): `policy-file` for the file as a whole.
    logger.warn('policy.problems', {
      status: policy.status,
      fields: policy.problems.map((p) => p.field.replace(/\s+/g, '-')),
    });
  } else if (policy.status === 'applied') {
    logger.info('policy.applied', { lockedFields: policy.lockedFields });
  }

  const effective = (): EffectiveSettings =>
    effectiveSettings(store.read(), policy, defaults, securityStore()?.read() ?? {});

  const view = (): SettingsView => ({
    settings: effective(),
    managed: {
      fhirAuth: policy.policy.fhir?.auth?.type ?? null,
      allowedDeviceRules: policy.policy.allowedDevices?.length ?? null,
      stagingPercentage: policy.policy.updates?.stagingPercentage ?? null,
      dateOrder: policy.policy.dateOrder ?? DEFAULT_DATE_ORDER,
    },
    policy: { file: policy.file, status: policy.status, problems: policy.problems },
  });

  function refuseLocked(keys: SettingKey[]): void {
    const locked = keys.filter((k) => isPolicyOnly(k) || (!isBounded(k) && isLocked(k, policy)));
    if (locked.length === 0) return;
    const names = locked.map((k) => SETTING_LABELS[k]).join(', ');
    throw new AppError(
      'FORBIDDEN',
      `${names} ${locked.length === 1 ? 'is' : 'are'} set by your IT department and cannot be changed here. Nothing was changed.`,
      locked.map((k) => ({ path: k, message: 'Set by your IT department.' })),
    );
  }

  function refuseBeyondBounds(changes: Partial<UserSettings>, keys: BoundedKey[]): void {
    const beyond = keys
      .map((k) => ({ key: k, value: changes[k] as number, max: boundOf(k, policy, defaults) }))
      .filter((c) => c.value > c.max);
    if (beyond.length === 0) return;
    const first = beyond[0]!;
    throw new AppError(
      'VALIDATION',
      SETTINGS_MESSAGES.beyondBound(SETTING_LABELS[first.key], first.max),
      beyond.map((c) => ({ path: c.key, message: `At most ${c.max} (your IT department's limit).` })),
    );
  }

  return {
    policy,
    effective,
    view,
    update(changes, by = null) {
      const keys = (Object.keys(changes) as SettingKey[]).filter((k) => changes[k] !== undefined);
      refuseLocked(keys);
      const bounded = keys.filter(isBounded);
      refuseBeyondBounds(changes, bounded);
      const security = bounded.length > 0 ? securityStore() : undefined;
      if (bounded.length > 0 && !security)
        throw new AppError('UNAVAILABLE', SETTINGS_MESSAGES.securityUnavailable);
      if (keys.length === 0) return { view: view(), changed: [], restore: () => undefined };

      const before = effective();
      const stored = store.read();
      const preferences = withoutSecurityKeys(changes);
      const writesPreferences = Object.keys(preferences).length > 0;
      const restoreChoices = bounded.length > 0 ? security!.checkpoint() : () => undefined;
      const restore = () => {
        restoreChoices();
        if (writesPreferences) store.write(stored);
        logger.warn('settings.restored', { keys });
      };
      const at = now();
      try {
        if (writesPreferences) store.write({ ...stored, ...preferences });
        for (const key of bounded) security!.write(key, changes[key] as number, at, by);
      } catch (error) {
        // A change saved only in part is put back: it is all of it or none.
        restore();
        throw error;
      }
      const after = effective();
      const changed = keys
        .map((key) => ({ key, from: before[key].value, to: after[key].value }))
        .filter((c) => c.from !== c.to);
      logger.info('settings.updated', { keys });
      return { view: view(), changed, restore };
    },
  };
}
