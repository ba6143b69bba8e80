import type { SafeStorage } from 'electron';
import { KEYCHAIN_UNAVAILABLE, type KeyWrapper } from '../db/keys';

/** Shown in the sign-in banner on Linux, where a session without a keyring is the usual cause. */
export const LINUX_KEYRING_HELP =
  `${KEYCHAIN_UNAVAILABLE} On Linux this needs a keyring in your session: GNOME Keyring or KWallet, ` +
  'unlocked when you sign in. Please ask IT support to set one up (IT guide: "A keyring is required"); ' +
  'they can also choose it with the --password-store option.';

/**
 * The OS keychain (Electron safeStorage) as the database key's wrapper, through the asynchronous
 * calls: Electron 45 deprecates encryptString/decryptString/isEncryptionAvailable.
 */
export function safeStorageKeyWrapper(
  safeStorage: Pick<
    SafeStorage,
    'encryptStringAsync' | 'decryptStringAsync' | 'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend'
  >,
  platform: NodeJS.Platform = process.platform,
): KeyWrapper {
  return {
    // The key crosses safeStorage as hex text (it wraps strings), and comes back as bytes.
    encrypt: (key) => safeStorage.encryptStringAsync(key.toString('hex')),
    decrypt: async (wrapped) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(wrapped);
      return { plain: Buffer.from(result, 'hex'), rewrap: shouldReEncrypt };
    },
    // On Linux without a secret service, safeStorage falls back to a hard-coded password
    // ('basic_text'): that is no protection, so it counts as unavailable.
    isAvailable: async () =>
      (await safeStorage.isAsyncEncryptionAvailable()) &&
      (platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
    ...(platform === 'linux' ? { unavailableMessage: LINUX_KEYRING_HELP } : {}),
  };
}
