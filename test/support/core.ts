/**
 * The real core as integration tests build it: a temp data directory, an encrypted database with a key
 * held in memory, no heartbeat and no idle sweep (tests move time themselves), and a way to call a
 * channel as a signed-in window and get its value or a thrown error.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreConfig } from '../../main/core';
import { memoryKeyProvider } from '../../main/db/keys';
import type { IpcResult } from '../../shared/ipc';

/**
 * scrypt at a sixteenth of the production cost, so a suite that signs in hundreds of accounts stays
 * quick; test/integration/auth/password-policy.test.ts signs in at the production cost.
 */
export const TEST_PASSWORD_HASHING = { N: 2 ** 13, r: 8, p: 1, keyLength: 32 };

export async function createTestCore(
  overrides: Partial<CoreConfig> = {},
): Promise<{ core: Core; dataDir: string; dbKeyProvider: CoreConfig['dbKeyProvider'] }> {
  const dataDir = overrides.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'vd-core-'));
  const dbKeyProvider = overrides.dbKeyProvider ?? memoryKeyProvider();
  const core = await createCore({
    appVersion: '0.0.0-test',
    host: 'chromium',
    heartbeatMs: 0,
    idleSweepMs: 0,
    passwordHashing: TEST_PASSWORD_HASHING,
    ...overrides,
    dataDir,
    dbKeyProvider,
  });
  return { core, dataDir, dbKeyProvider };
}

/** Calls a channel as the window `senderId`; the value, or an Error naming the code and the message. */
export async function call<T>(core: Core, senderId: string, channel: string, request: unknown): Promise<T> {
  const result = await core.invoke(channel, request, { senderId });
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** A call's value, or a thrown error with the code and message it failed with. */
export function valueOf<T>(result: IpcResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}
