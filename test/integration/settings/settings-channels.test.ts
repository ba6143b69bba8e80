/**
 * settings.get / settings.update through the real core: a real policy file, a real encrypted database
 * (for accounts and the audit trail), real sign-in. Roles, IT locks and the audit record are checked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import { memoryKeyProvider } from '../../../main/db/keys';
import { memoryLogger } from '../../../main/logging/logger';
import { manualClock } from '../../../main/platform/clock';
import { signInAs } from '../../support/session';

const open: { core: Core; dir: string }[] = [];
afterEach(async () => {
  for (const { core, dir } of open.splice(0)) {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function coreWithPolicy(policy: object | string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vd-settings-'));
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(policyFile, typeof policy === 'string' ? policy : JSON.stringify(policy));
  const logger = memoryLogger();
  const core = await createCore({
    dataDir: path.join(dir, 'data'),
    appVersion: '0.0.0-test',
    host: 'chromium',
    heartbeatMs: 0,
    idleSweepMs: 0,
    dbKeyProvider: memoryKeyProvider(),
    clock: manualClock(new Date('2026-03-02T08:00:05Z')),
    logger,
    policyFile,
  });
  open.push({ core, dir });
  const invoke = (senderId: string, channel: string, request: unknown = {}) =>
    core.invoke(channel, request, { senderId });
  return { core, invoke, logger, policyFile };
}

describe('settings channels', () => {
  it('need a signed-in user; a nurse may read but not change them', async () => {
    const { core, invoke } = await coreWithPolicy({ idleLockMinutes: 3 });
    expect(await invoke('nobody', 'settings.get')).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });
    const nurse = await signInAs(core, 'nurse');
    const read = await invoke(nurse.senderId, 'settings.get');
    expect(read).toMatchObject({
      ok: true,
      value: { settings: { idleLockMinutes: { value: 3, locked: false, max: 3 } } },
    });
    expect(await invoke(nurse.senderId, 'settings.update', { weightUnit: 'kg' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('an admin changes what is not locked; a locked setting is refused and nothing is saved; both are audited with old and new values', async () => {
    const { core, invoke } = await coreWithPolicy({
      requireTwoFactor: true,
      clinicName: 'Riverside Clinic',
      idleLockMinutes: 10,
    });
    const admin = await signInAs(core, 'admin');

    const saved = await invoke(admin.senderId, 'settings.update', {
      idleLockMinutes: 7,
      weightUnit: '[lb_av]',
    });
    expect(saved).toMatchObject({
      ok: true,
      value: {
        settings: { idleLockMinutes: { value: 7, locked: false, max: 10 }, weightUnit: { value: '[lb_av]' } },
      },
    });

    const refused = await invoke(admin.senderId, 'settings.update', {
      requireTwoFactor: false,
      idleLockMinutes: 30,
    });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message:
          'Two-step sign-in required is set by your IT department and cannot be changed here. Nothing was changed.',
        issues: [{ path: 'requireTwoFactor', message: 'Set by your IT department.' }],
      },
    });
    expect(core.settings.effective().idleLockMinutes.value).toBe(7);
    expect(core.settings.effective().requireTwoFactor).toEqual({ value: true, locked: true });
    // The health panel's clinic name comes from the policy.
    expect(core.health().clinicName).toBe('Riverside Clinic');

    const trail = await invoke(admin.senderId, 'audit.list', { filter: { action: 'settings.update' } });
    expect(trail.ok).toBe(true);
    const records = (
      trail as {
        ok: true;
        value: { records: { outcome: string; detail: string | null; actorUserId: string | null }[] };
      }
    ).value.records;
    expect(records.map((r) => [r.outcome, r.detail]).sort()).toEqual([
      ['denied', 'idleLockMinutes:7->30 requireTwoFactor:true->false'],
      ['success', 'idleLockMinutes:10->7 weightUnit:"kg"->"[lb_av]"'],
    ]);
    expect(records.every((r) => r.actorUserId === admin.userId)).toBe(true);
  });

  it('a bad value in a request is refused by the contract before the service sees it', async () => {
    const { core, invoke } = await coreWithPolicy({});
    const admin = await signInAs(core, 'admin');
    const result = await invoke(admin.senderId, 'settings.update', {
      weightUnit: 'stone',
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', issues: [{ path: 'weightUnit' }] },
    });
    expect(core.settings.effective().weightUnit.value).toBe('kg');
  });

  it('a broken policy file starts the core with safe defaults and the problem in settings.get', async () => {
    const { core, invoke, logger, policyFile } = await coreWithPolicy('{ "requireTwoFactor": false, ');
    expect(core.health().status).toBe('ready');
    const admin = await signInAs(core, 'admin');
    const view = await invoke(admin.senderId, 'settings.get');
    expect(view).toMatchObject({
      ok: true,
      value: {
        policy: { file: policyFile, problems: [{ field: 'policy file' }] },
        settings: {
          requireTwoFactor: { value: true, locked: true },
          updatesEnabled: { value: false, locked: true },
        },
      },
    });
    expect(logger.records).toContainEqual({
      level: 'warn',
      event: 'policy.problems',
      fields: { status: 'applied-with-problems', fields: ['policy-file'] },
    });
  });
});
