import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { createCore, type Core, type CoreConfig } from '../../../main/core';
import { memoryKeyProvider } from '../../../main/db/keys';
import { manualClock } from '../../../main/platform/clock';
import { memoryLogger } from '../../../main/logging/logger';
import { TEST_PASSWORD_HASHING } from '../../support/core';

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
