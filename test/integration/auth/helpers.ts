import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { createCore, type Core, type CoreConfig } from '../../../main/core';
import { memoryKeyProvider } from '../../../main/db/keys';
import { manualClock } from '../../../main/platform/clock';
import { memoryLogger } from '../../../main/logging/logger';
import { call, TEST_PASSWORD_HASHING } from '../../support/core';
import { TEMPORARY_PASSWORD } from '../../support/session';

const open: { core: Core; dir: string }[] = [];

afterEach(async () => {
  for (const { core, dir } of open.splice(0)) {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A real core on a real encrypted database in a temp directory, on a clock the test moves. */
export async function authCore(overrides: Partial<CoreConfig> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vd-auth-'));
  const clock = manualClock(new Date('2026-03-02T08:00:05Z'));
  const logger = memoryLogger();
  const core = await createCore({
    dataDir: dir,
    appVersion: '0.0.0-test',
    host: 'chromium',
    heartbeatMs: 0,
    idleSweepMs: 0,
    passwordHashing: TEST_PASSWORD_HASHING,
    dbKeyProvider: memoryKeyProvider(),
    clock,
    logger,
    ...overrides,
  });
  open.push({ core, dir });
  const invoke = (senderId: string, channel: string, request: unknown = {}) =>
    core.invoke(channel, request, { senderId });
  return { core, clock, logger, dir, invoke };
}

/**
 * A nurse the administrator has just created, signed in at the `ward` window with the password she chose
 * on her first sign-in: "the <first> <last> password" for "<first>.<last>".
 */
export async function nurseSignedInAtWard(
  core: Core,
  adminSenderId: string,
  username: string,
): Promise<{ userId: string; username: string; password: string }> {
  const password = `the ${username.replace('.', ' ')} password`;
  const created = await call<{ id: string }>(core, adminSenderId, 'users.create', {
    username,
    displayName: username.replace('.', ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
    role: 'nurse',
    password: TEMPORARY_PASSWORD,
  });
  await call(core, 'ward', 'auth.signIn', { username, password: TEMPORARY_PASSWORD });
  await call(core, 'ward', 'auth.changePassword', {
    currentPassword: TEMPORARY_PASSWORD,
    newPassword: password,
  });
  return { userId: created.id, username, password };
}
