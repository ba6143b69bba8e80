import path from 'node:path';
import type { SafeStorage } from 'electron';
import type { CoreConfig } from '../core';
import { wrappedKeyProvider } from '../db/keys';

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
      dbKeyProvider: wrappedKeyProvider({
        dir: path.join(options.userDataDir, 'data'),
        // The key crosses safeStorage as hex text (it wraps strings), and comes back as bytes.
        encrypt: (key) => options.safeStorage.encryptString(key.toString('hex')),
        decrypt: (wrapped) => Buffer.from(options.safeStorage.decryptString(wrapped), 'hex'),
        // On Linux without a secret service, safeStorage falls back to a hard-coded password
        // ('basic_text'): that is no protection, so it counts as unavailable.
        isAvailable: () =>
          options.safeStorage.isEncryptionAvailable() &&
          (process.platform !== 'linux' || options.safeStorage.getSelectedStorageBackend() !== 'basic_text'),
      }),
    },
  };
}
