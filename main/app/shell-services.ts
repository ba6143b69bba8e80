import path from 'node:path';
import type { SafeStorage } from 'electron';
import type { CoreConfig } from '../core';
import { wrappedKeyProvider } from '../db/keys';
import { loadPolicyFile } from '../policy/load';
import { policyFilePath } from '../policy/location';
import { effectiveSettings } from '../settings/effective';
import type { Logger } from '../logging/logger';
import { updatePlan } from '../updates/update-plan';
import { readOrCreateWorkstationId } from '../updates/workstation-id';
import { createCsvMappingStore } from '../settings/csv-mapping-store';
import { electronCsvMappingBackend, electronSettingsStore } from './electron-settings-store';
import { startUpdater } from './updater';
import { safeStorageKeyWrapper } from './safe-storage-key-wrapper';

/**
 * What only the Electron shell can provide to the core: the OS keychain (safeStorage) for the
 * database key, the per-user data directory, IT's policy file, electron-store for user settings, and the updater.
 */
export function createShellServices(options: {
  safeStorage: SafeStorage;
  userDataDir: string;
  /** app.isPackaged: only an installed copy updates itself. */
  isPackaged?: boolean;
}): {
  coreConfig: Omit<CoreConfig, 'appVersion' | 'host'>;
  /** Starts the updater; its problems go to `logger` (the core's, redacted). */
  afterWindow?: (logger: Logger) => void;
} {
  // IT's machine-wide policy, read once at start; the core shows its problems on the Settings screen.
  const policy = loadPolicyFile(policyFilePath(process.platform, process.env));
  const settingsStore = electronSettingsStore();
  return {
    afterWindow(logger) {
      const settings = effectiveSettings(settingsStore.read(), policy);
      startUpdater(
        updatePlan({
          settings,
          stagingPercentage: policy.policy.updates?.stagingPercentage ?? null,
          workstationId: readOrCreateWorkstationId(options.userDataDir),
          isPackaged: options.isPackaged ?? false,
        }),
        logger,
      );
    },
    coreConfig: {
      policy,
      settingsStore,
      csvMappingStore: createCsvMappingStore(electronCsvMappingBackend()),
      dataDir: path.join(options.userDataDir, 'data'),
      dbKeyProvider: wrappedKeyProvider({
        dir: path.join(options.userDataDir, 'data'),
        ...safeStorageKeyWrapper(options.safeStorage),
      }),
      // The sync key (SMART backend) is wrapped by the same key store.
      secretWrapper: safeStorageKeyWrapper(options.safeStorage),
    },
  };
}
