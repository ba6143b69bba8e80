/**
 * The core as the Chromium host and the end-to-end tests build it: same factory as the Electron
 * shell, with a key file instead of the OS keychain (said loudly: development and tests only).
 */
import { mkdirSync } from 'node:fs';
import { createCore, type Core, type CoreConfig } from '../main/core';

export async function createDevelopmentCore(
  options: { dataDir: string; appVersion?: string } & Partial<Omit<CoreConfig, 'dataDir'>>,
): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  return createCore({
    appVersion: options.appVersion ?? '0.0.0-dev',
    host: 'chromium',
    ...options,
  });
}
