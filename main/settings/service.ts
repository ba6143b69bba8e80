/**
 * The settings service: the effective settings (policy over user over defaults), the view the
 * Settings screen shows, and changes that refuse what IT locked. Nothing is saved when any part of a
 * change is refused.
 */
import { AppError } from '../../shared/ipc/errors';
import type {
  EffectiveSettings,
  SettingKey,
  SettingsView,
  UserSettings,
} from '../../shared/ipc/channels/settings';
import type { Logger } from '../logging/logger';
import type { PolicyLoad } from '../policy/load';
import { DEFAULT_SETTINGS, effectiveSettings, isLocked } from './effective';
import { SETTING_LABELS } from './labels';
import type { SettingsStore } from './store';

export interface SettingsService {
  readonly policy: PolicyLoad;
  effective(): EffectiveSettings;
  view(): SettingsView;
  update(changes: Partial<UserSettings>): SettingsView;
}

export function createSettingsService(options: {
  store: SettingsStore;
  policy: PolicyLoad;
  defaults?: Partial<UserSettings>;
  logger: Logger;
}): SettingsService {
  const { store, policy, logger } = options;
  const defaults: UserSettings = { ...DEFAULT_SETTINGS, ...options.defaults };

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

  const effective = (): EffectiveSettings => effectiveSettings(store.read(), policy, defaults);

  const view = (): SettingsView => ({
    settings: effective(),
    managed: {
      fhirAuth: policy.policy.fhir?.auth?.type ?? null,
      allowedDeviceRules: policy.policy.allowedDevices?.length ?? null,
      stagingPercentage: policy.policy.updates?.stagingPercentage ?? null,
    },
    policy: { file: policy.file, status: policy.status, problems: policy.problems },
  });

  return {
    policy,
    effective,
    view,
    update(changes) {
      const keys = (Object.keys(changes) as SettingKey[]).filter((k) => changes[k] !== undefined);
      const locked = keys.filter((k) => isLocked(k, policy));
      if (locked.length > 0) {
        const names = locked.map((k) => SETTING_LABELS[k]).join(', ');
        throw new AppError(
          'FORBIDDEN',
          `${names} ${locked.length === 1 ? 'is' : 'are'} set by your IT department and cannot be changed here. Nothing was changed.`,
          locked.map((k) => ({ path: k, message: 'Set by your IT department.' })),
        );
      }
      if (keys.length === 0) return view();
      store.write({ ...store.read(), ...changes });
      logger.info('settings.updated', { keys });
      return view();
    },
  };
}
