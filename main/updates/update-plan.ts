/**
 * What the updater should do on this workstation, decided from the effective settings (policy over
 * user) as a pure function. The updater itself (electron-updater) lives in main/app/updater.ts because
 * it imports electron.
 *
 * Security notes: the feed is always HTTPS (the policy and settings schemas refuse anything else);
 * electron-updater checks each download's sha512 from the feed's latest*.yml, on Windows the
 * Authenticode publisher against the installer's publisherName, and on macOS Squirrel.Mac checks the
 * code signature; on Linux the release key's signature is checked before install
 * (linux-update-signature.ts). Nothing here turns any of that off.
 */
import { createHash } from 'node:crypto';
import type { EffectiveSettings } from '../../shared/ipc/channels/settings';

export type UpdatePlan =
  | { enabled: false; reason: string }
  | {
      enabled: true;
      /** Absent: the feed the installer was built with (app-update.yml). */
      feed?: { provider: 'generic'; url: string; channel: string };
      channel: string;
      allowPrerelease: boolean;
      /** Never install an older version, even when switching channel. */
      allowDowngrade: false;
      checkEveryMs: number;
    };

export const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

/**
 * This workstation's place (0–99) in a staged rollout, stable across restarts. Derived from an id kept
 * in the app's data, so a clinic's workstations spread evenly.
 */
export function rolloutBucket(workstationId: string): number {
  return createHash('sha256').update(workstationId).digest().readUInt32BE(0) % 100;
}

export function updatePlan(input: {
  settings: Pick<EffectiveSettings, 'updatesEnabled' | 'updateChannel' | 'updateFeedUrl'>;
  /** IT's share (0–100) of its workstations that take new versions now; null: all of them. */
  stagingPercentage: number | null;
  workstationId: string;
  /** False when running from sources: there is no installer to update. */
  isPackaged: boolean;
}): UpdatePlan {
  const { settings } = input;
  if (!settings.updatesEnabled.value) {
    return {
      enabled: false,
      reason: settings.updatesEnabled.locked ? 'turned off by your IT department' : 'turned off in Settings',
    };
  }
  if (!input.isPackaged) return { enabled: false, reason: 'not an installed copy of Vitals Desk' };
  if (input.stagingPercentage !== null && rolloutBucket(input.workstationId) >= input.stagingPercentage) {
    return { enabled: false, reason: 'this workstation is not yet in your IT department’s staged rollout' };
  }
  const channel = settings.updateChannel.value;
  const url = settings.updateFeedUrl.value;
  return {
    enabled: true,
    ...(url ? { feed: { provider: 'generic' as const, url, channel } } : {}),
    channel,
    allowPrerelease: channel !== 'latest',
    allowDowngrade: false,
    checkEveryMs: CHECK_EVERY_MS,
  };
}
