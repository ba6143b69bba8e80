/**
 * Wires the signature gate (linux-update-signature.ts) into electron-updater's Linux updaters
 * (AppImage, deb, rpm): each finished download is checked, and electron-updater's `install` (called on
 * quit or by quitAndInstall) is wrapped so that it hands nothing unverified to dpkg, rpm or the AppImage
 * swap. A refused download is deleted. Plain Node: electron-updater is only typed here.
 */
import { rmSync } from 'node:fs';
import type { BaseUpdater } from 'electron-updater';
import type { Logger } from '../logging/logger';
import type { createLinuxUpdateGate } from './linux-update-signature';

type Gate = ReturnType<typeof createLinuxUpdateGate>;

export function guardLinuxInstall(
  updater: BaseUpdater,
  gate: Gate,
  logger: Pick<Logger, 'info' | 'warn'>,
  discard: (file: string) => void = (file) => rmSync(file, { force: true }),
): void {
  updater.on('update-downloaded', (info) => {
    void gate.prepare({ file: info.downloadedFile, version: info.version }).then((verdict) => {
      if (verdict.ok) logger.info('updates.verified', { version: info.version });
      else {
        logger.warn('updates.refused', { version: info.version, reason: verdict.reason });
        discard(info.downloadedFile);
      }
    });
  });
  const install = updater.install.bind(updater);
  updater.install = (isSilent?: boolean, isForceRunAfter?: boolean): boolean => {
    // installerPath is protected in the typings; it is the file electron-updater is about to install.
    const file = (updater as unknown as { installerPath: string | null }).installerPath;
    const verdict = gate.mayInstall(file);
    if (!verdict.ok) {
      logger.warn('updates.refused', { reason: verdict.reason });
      if (file) discard(file);
      return false;
    }
    return install(isSilent, isForceRunAfter);
  };
}
