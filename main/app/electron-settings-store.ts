/** User settings kept with electron-store in the user's app data. Workstation preferences only, never PHI. */
import Store from 'electron-store';
import type { CsvMappingBackend } from '../settings/csv-mapping-store';
import { sanitizeStoredSettings, type SettingsStore } from '../settings/store';

export function electronSettingsStore(): SettingsStore {
  // A hand-damaged file is reset rather than stopping the app; each key is checked again on read.
  const store = new Store<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: true });
  return {
    read: () => sanitizeStoredSettings(store.store),
    write(values) {
      store.store = { ...values };
    },
  };
}

/** The CSV column mappings confirmed per layout, in their own electron-store file (checked again on load). */
export function electronCsvMappingBackend(): CsvMappingBackend {
  const store = new Store<Record<string, unknown>>({ name: 'csv-mappings', clearInvalidConfig: true });
  return {
    read: () => store.store,
    write(document) {
      store.store = { ...document };
    },
  };
}
