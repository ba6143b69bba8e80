/** Key from an environment variable (64 hex chars). For CI and scripted hosts; rotation is done by whoever sets it. */
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
  return {
    kind: 'env',
    warning: `The database key comes from the environment variable ${varName}, not the operating system keychain: use this only for development and tests.`,
    async loadOrCreateKey() {
      const value = env[varName];
      if (!value)
        throw new AppError(
          'UNAVAILABLE',
          `The database key setting ${varName} is missing, so patient data cannot be opened.`,
        );
      return parseHexKey(value, varName);
    },
    storeRotatedKey: refuseRotation,
    stageRotatedKey: refuseRotation,
    async loadStagedKey() {
      return undefined;
    },
    async discardStagedKey() {
      // Nothing is ever staged.
    },
  };
}
