/** Key from an environment variable (64 hex chars). For CI and scripted hosts; rotation is done by whoever sets it. */
import { hkdfSync } from 'node:crypto';
import { AppError } from '../../../shared/ipc';
import { parseHexKey } from './key-material';
import type { DbKeyProvider } from './types';

export function envKeyProvider(
  varName = 'VITALS_DB_KEY',
  env: NodeJS.ProcessEnv = process.env,
): DbKeyProvider {
  const refuseRotation = async (): Promise<never> => {
    throw new AppError(
      'UNAVAILABLE',
      `The database key comes from the ${varName} setting of this computer, so it cannot be changed from the app.`,
    );
  };
  const load = async (): Promise<Buffer> => {
    const value = env[varName];
    if (!value)
      throw new AppError(
        'UNAVAILABLE',
        `The database key setting ${varName} is missing, so patient data cannot be opened.`,
      );
    return parseHexKey(value, varName);
  };
  return {
    kind: 'env',
    warning: `The database key comes from the environment variable ${varName}, not the operating system keychain: use this only for development and tests.`,
    loadOrCreateKey: load,
    storeRotatedKey: refuseRotation,
    stageRotatedKey: refuseRotation,
    async loadStagedKey() {
      return undefined;
    },
    async discardStagedKey() {
      // Nothing is ever staged.
    },
    async loadOrCreateAuditKey() {
      // Derived from the one secret this host is given (HKDF, RFC 5869): development and tests only.
      const key = Buffer.from(
        hkdfSync('sha256', await load(), Buffer.alloc(0), 'vitals-desk audit head key', 32),
      );
      // Never new: only a new database file may start a head with it.
      return { key, created: false };
    },
  };
}
