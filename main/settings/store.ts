/**
 * Where a workstation keeps the settings a user chose. Never PHI: only workstation preferences, and
 * never the settings that steer PHI (./workstation-security).
 * The Electron shell keeps them with electron-store; tests and the Chromium host use a JSON file.
 */
import { userSettingsSchema, type UserSettings } from '../../shared/ipc/channels/settings';
import { isSecurityKey } from './workstation-security';

export interface SettingsStore {
  /** The values the user set; keys never set are absent. */
  read(): Partial<UserSettings>;
  /** Replaces what is stored with `values`. */
  write(values: Partial<UserSettings>): void;
}

/**
 * Keeps only the stored keys that are still valid, one by one: a value edited by hand or written by an
 * older version falls back to its default instead of failing the whole store.
 */
export function sanitizeStoredSettings(raw: unknown): Partial<UserSettings> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const shape = userSettingsSchema.shape;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    // The security settings are never taken from this file (./workstation-security), whoever wrote them.
    if (!Object.hasOwn(shape, key) || isSecurityKey(key)) continue;
    const parsed = shape[key as keyof typeof shape].safeParse(value);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as Partial<UserSettings>;
}

/** In memory: for unit tests of code that only needs a store. */
export function memorySettingsStore(initial: Partial<UserSettings> = {}): SettingsStore {
  let values = { ...initial };
  return {
    read: () => ({ ...values }),
    write(next) {
      values = { ...next };
    },
  };
}
