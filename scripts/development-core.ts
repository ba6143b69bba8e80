/**
 * The core as the Chromium host and the end-to-end tests build it: same factory as the Electron
 * shell, with a key file instead of the OS keychain (said loudly: development and tests only).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createCore, type Core, type CoreConfig } from '../main/core';
import { envKeyProvider, keyFileProvider } from '../main/db/keys';

export async function createDevelopmentCore(
  options: { dataDir: string; appVersion?: string } & Partial<Omit<CoreConfig, 'dataDir'>>,
): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // VITALS_DB_KEY (64 hex) takes the key from the environment; otherwise a 0600 key file in the data dir.
  const dbKeyProvider =
    options.dbKeyProvider ??
    (process.env.VITALS_DB_KEY
      ? envKeyProvider('VITALS_DB_KEY')
      : keyFileProvider({
          file: process.env.VITALS_DB_KEY_FILE ?? path.join(options.dataDir, 'dev-db.key'),
        }));
  return createCore({
    appVersion: options.appVersion ?? '0.0.0-dev',
    host: 'chromium',
    ...options,
    // Simulators speak through pseudo-terminals, which have no USB ids: development and tests only.
    devices: { allowSerialPortsWithoutUsbIds: true, ...options.devices },
    dbKeyProvider,
  });
}
