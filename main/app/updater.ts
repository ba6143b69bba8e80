/**
 * electron-updater, driven by the plan from main/updates/update-plan.ts. Downloads in the background and
 * installs when the app quits, so a nurse is never interrupted mid-visit.
 */
import electronUpdater from 'electron-updater';
import type { Logger } from '../logging/logger';
import type { UpdatePlan } from '../updates/update-plan';

export function startUpdater(plan: UpdatePlan, logger: Logger): () => void {
  if (!plan.enabled) {
    logger.info('updates.off', { reason: plan.reason });
    return () => undefined;
  }
  // electron-updater is CommonJS: its named exports arrive on the default import.
  const { autoUpdater } = electronUpdater;
  if (plan.feed) autoUpdater.setFeedURL(plan.feed);
  autoUpdater.channel = plan.channel;
  autoUpdater.allowPrerelease = plan.allowPrerelease;
  // Set after `channel`, which would otherwise allow downgrades.
  autoUpdater.allowDowngrade = plan.allowDowngrade;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.logger = {
    info: () => undefined,
    debug: () => undefined,
    warn: () => undefined,
    error: (message?: unknown) => logger.warn('updates.error', { error: String(message).slice(0, 200) }),
  };
  autoUpdater.on('update-downloaded', (info) => logger.info('updates.downloaded', { version: info.version }));

  const check = (): void => {
    autoUpdater.checkForUpdates().catch((error: unknown) => {
      logger.warn('updates.check_failed', {
        error: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
      });
    });
  };
  check();
  const timer = setInterval(check, plan.checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
