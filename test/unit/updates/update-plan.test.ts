import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../main/policy/load';
import { effectiveSettings } from '../../../main/settings/effective';
import { CHECK_EVERY_MS, rolloutBucket, updatePlan } from '../../../main/updates/update-plan';
import { readOrCreateWorkstationId } from '../../../main/updates/workstation-id';
import type { UserSettings } from '../../../shared/ipc/channels/settings';

function plan(
  user: Partial<UserSettings>,
  policy: object,
  extra: { isPackaged?: boolean; workstationId?: string } = {},
) {
  const load = parsePolicy(JSON.stringify(policy));
  return updatePlan({
    settings: effectiveSettings(user, load),
    stagingPercentage: load.policy.updates?.stagingPercentage ?? null,
    workstationId: extra.workstationId ?? 'ws-1',
    isPackaged: extra.isPackaged ?? true,
  });
}

describe('update plan from policy and settings', () => {
  it('by default: the built-in feed, stable channel, no downgrades', () => {
    expect(plan({}, {})).toEqual({
      enabled: true,
      channel: 'latest',
      allowPrerelease: false,
      allowDowngrade: false,
      checkEveryMs: CHECK_EVERY_MS,
    });
  });

  it('IT’s feed and channel become a generic HTTPS feed', () => {
    expect(
      plan({}, { updates: { feedUrl: 'https://mirror.clinic.example/vd', channel: 'beta' } }),
    ).toMatchObject({
      enabled: true,
      feed: { provider: 'generic', url: 'https://mirror.clinic.example/vd', channel: 'beta' },
      allowPrerelease: true,
      allowDowngrade: false,
    });
  });

  it('a feed written into the user’s settings file is ignored: the build’s or the policy’s feed is used', () => {
    const stranger = 'https://updates.stranger.example/vd';
    const fromUser = plan({ updateFeedUrl: stranger }, {});
    expect(fromUser).toMatchObject({ enabled: true });
    expect(fromUser).not.toHaveProperty('feed');
    expect(
      plan({ updateFeedUrl: stranger }, { updates: { feedUrl: 'https://mirror.clinic.example/vd' } }),
    ).toMatchObject({ feed: { url: 'https://mirror.clinic.example/vd' } });
  });

  it('IT’s switch turns updates off and the user cannot turn them back on', () => {
    expect(plan({ updatesEnabled: true }, { updates: { enabled: false } })).toEqual({
      enabled: false,
      reason: 'turned off by your IT department',
    });
  });

  it('an insecure feed in the policy turns updates off rather than using it', () => {
    const result = plan({}, { updates: { enabled: true, feedUrl: 'http://mirror.clinic.example' } });
    expect(result.enabled).toBe(false);
  });

  it('a user may turn updates off when IT did not decide', () => {
    expect(plan({ updatesEnabled: false }, {})).toEqual({ enabled: false, reason: 'turned off in Settings' });
  });

  it('a copy run from sources never updates itself', () => {
    expect(plan({}, {}, { isPackaged: false }).enabled).toBe(false);
  });

  it('staged rollout: 0 % holds every workstation back, 100 % lets all through, 50 % about half', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `workstation-${i}`);
    const share = (percentage: number) =>
      ids.filter(
        (id) => plan({}, { updates: { stagingPercentage: percentage } }, { workstationId: id }).enabled,
      ).length;
    expect(share(0)).toBe(0);
    expect(share(100)).toBe(400);
    expect(share(50)).toBeGreaterThan(150);
    expect(share(50)).toBeLessThan(250);
  });

  it('a workstation keeps its rollout bucket across versions, and joins exactly when the share passes it', () => {
    // The first four bytes of SHA-256 of the id, modulo 100: pinned, so an update to this code does not
    // move workstations between the early and the late group.
    expect(rolloutBucket('workstation-7')).toBe(7);
    expect(rolloutBucket('workstation-8')).toBe(68);
    const enabled = (id: string, percentage: number) =>
      plan({}, { updates: { stagingPercentage: percentage } }, { workstationId: id }).enabled;
    expect(enabled('workstation-7', 7)).toBe(false);
    expect(enabled('workstation-7', 8)).toBe(true);
    expect(enabled('workstation-8', 68)).toBe(false);
    expect(enabled('workstation-8', 69)).toBe(true);
  });
});

describe('workstation id', () => {
  it('is created once and then kept', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-wsid-'));
    try {
      const first = readOrCreateWorkstationId(dir);
      expect(first).toMatch(/^[0-9a-f-]{36}$/);
      expect(readOrCreateWorkstationId(dir)).toBe(first);
      writeFileSync(path.join(dir, 'workstation-id'), 'garbage');
      const replaced = readOrCreateWorkstationId(dir);
      expect(replaced).not.toBe(first);
      expect(readFileSync(path.join(dir, 'workstation-id'), 'utf8').trim()).toBe(replaced);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
