/**
 * electron-updater, driven by the plan from main/updates/update-plan.ts. Downloads in the background and
 * installs when the app quits, so a nurse is never interrupted mid-visit.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { App, Net } from 'electron';
import electronUpdater from 'electron-updater';
import type { LogFields, Logger } from '../logging/logger';
import {
  createLinuxUpdateGate,
  feedUrlFromAppUpdateYml,
  releasePublicKey,
} from '../updates/linux-update-signature';
import { guardLinuxInstall } from '../updates/linux-update-guard';
import type { UpdatePlan } from '../updates/update-plan';

/**
 * electron-updater installs NSIS updates only: on a copy installed from the MSI it would install a
 * second copy beside it. The NSIS installer leaves its uninstaller next to the executable; the MSI
 * (Windows Installer keeps its own records) does not. MSI fleets are updated with a newer MSI.
 */
export function windowsInstallKind(
  execPath: string,
  productName: string,
  exists: (file: string) => boolean = existsSync,
): 'nsis' | 'msi' {
  return exists(path.win32.join(path.win32.dirname(execPath), `Uninstall ${productName}.exe`))
    ? 'nsis'
    : 'msi';
}

/**
 * What IT needs from an updater error, as codes only (the redactor drops free text): electron-updater's
 * error code (ERR_UPDATER_*), a network errno (ENOTFOUND, ECONNREFUSED, CERT_*), the HTTP status.
 */
export function updaterErrorFields(error: unknown): LogFields {
  const fields: LogFields = {};
  if (error instanceof Error) fields.error = error.name;
  const details = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    statusCode?: unknown;
  };
  if (typeof details.code === 'string') fields.code = details.code;
  if (typeof details.statusCode === 'number') fields.status = details.statusCode;
  const message = error instanceof Error ? error.message : String(error);
  const status = /\b(?:status|HttpError:?)\s*(\d{3})\b/i.exec(message)?.[1];
  if (fields.status === undefined && status) fields.status = Number(status);
  const errno = /\b(E[A-Z]{3,}|ERR_[A-Z_]+|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+)\b/.exec(message)?.[1];
  if (fields.code === undefined && errno) fields.code = errno;
  return fields;
}

export function startUpdater(
  plan: UpdatePlan,
  logger: Logger,
  host: { platform: NodeJS.Platform; execPath: string; productName: string } = {
    platform: process.platform,
    execPath: process.execPath,
    productName: 'Vitals Desk',
  },
): () => void {
  if (!plan.enabled) {
    logger.info('updates.off', { reason: plan.reason });
    return () => undefined;
  }
  if (host.platform === 'win32' && windowsInstallKind(host.execPath, host.productName) === 'msi') {
    logger.info('updates.off', { reason: 'msi-install' });
    return () => undefined;
  }
  // electron-updater is CommonJS: its named exports arrive on the default import.
  const { autoUpdater, BaseUpdater } = electronUpdater;
  if (host.platform === 'linux') {
    const refused = verifyLinuxUpdates(autoUpdater, BaseUpdater, plan, logger);
    if (refused) {
      logger.info('updates.off', { reason: refused });
      return () => undefined;
    }
  }
  if (plan.feed) autoUpdater.setFeedURL(plan.feed);
  autoUpdater.channel = plan.channel;
  autoUpdater.allowPrerelease = plan.allowPrerelease;
  // Set after `channel`, which would otherwise allow downgrades.
  autoUpdater.allowDowngrade = plan.allowDowngrade;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  // electron-updater's own log lines are free text (URLs, paths): its errors are logged from the
  // 'error' event instead, as codes.
  autoUpdater.logger = null;
  autoUpdater.on('error', (error: unknown) => logger.warn('updates.error', updaterErrorFields(error)));
  autoUpdater.on('update-downloaded', (info) => logger.info('updates.downloaded', { version: info.version }));

  const check = (): void => {
    autoUpdater.checkForUpdates().catch((error: unknown) => {
      logger.warn('updates.check_failed', updaterErrorFields(error));
    });
  };
  check();
  const timer = setInterval(check, plan.checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Linux packages are installed only when their `.sig` verifies under the release key baked into this
 * build (package.json `updateSigningKey`, see main/updates/linux-update-signature.ts). Returns why
 * updates cannot run at all (no key, no feed), or null.
 */
function verifyLinuxUpdates(
  autoUpdater: electronUpdater.AppUpdater,
  BaseUpdater: typeof electronUpdater.BaseUpdater,
  plan: Extract<UpdatePlan, { enabled: true }>,
  logger: Logger,
): string | null {
  if (!(autoUpdater instanceof BaseUpdater)) return 'no-package-updater';
  // Loaded here, not at the top, so this module's pure helpers stay importable without Electron.
  const { app, net } = createRequire(import.meta.url)('electron') as { app: App; net: Net };
  const publicKey = releasePublicKey(readJson(path.join(app.getAppPath(), 'package.json'))?.updateSigningKey);
  if (!publicKey) return 'no-update-signing-key';
  const feedUrl = plan.feed?.url ?? readAppUpdateFeed();
  if (!feedUrl) return 'no-update-feed';
  const gate = createLinuxUpdateGate({
    publicKey,
    feedUrl,
    // Chromium's network stack, as electron-updater uses: the system proxy applies.
    fetch: (url, init) => net.fetch(url, init),
  });
  guardLinuxInstall(autoUpdater, gate, logger);
  return null;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The feed the installer was built with (electron-builder writes it to resources/app-update.yml). */
function readAppUpdateFeed(): string | null {
  try {
    return feedUrlFromAppUpdateYml(readFileSync(path.join(process.resourcesPath, 'app-update.yml'), 'utf8'));
  } catch {
    return null;
  }
}
