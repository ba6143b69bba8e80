import path from 'node:path';
import type { SafeStorage } from 'electron';
import type { CoreConfig } from '../core';

/**
 * What only the Electron shell can provide to the core: the OS keychain (safeStorage) for the
 * database key, the per-user data directory, and later the updater and electron-store.
 */
export function createShellServices(options: { safeStorage: SafeStorage; userDataDir: string }): {
  coreConfig: Omit<CoreConfig, 'appVersion' | 'host'>;
  afterWindow?: () => void;
} {
  return {
    coreConfig: {
      dataDir: path.join(options.userDataDir, 'data'),
    },
  };
}
