/**
 * The Electron shell: app lifecycle, the window, the app:// protocol, IPC wiring and the OS keychain.
 * This folder is the only code that imports `electron`; everything it runs comes from `createCore`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  safeStorage,
  session,
  shell as electronShell,
} from 'electron';
import { createCore, type Core } from '../core';
import { electronHomeFilePicker } from './home-file-picker';
import { simulatedDevicesDir, simulatedDevicesRequested } from '../devices/simulated/simulated-devices';
import { simulatedTransports } from '../devices/simulated/simulated-transports';
import { APP_ORIGIN } from '../security/content-security-policy';
import { denyAllPermissions, hardenWebContents } from './harden';
import { forwardEvents, wireDroppedFiles, wireIpc } from './ipc';
import { registerAppScheme, serveRenderer } from './protocol';
import { mainWindowOptions } from './window';
import { createShellServices } from './shell-services';
import { redirectNativeModules } from './dev-native';
import { appMenuTemplate } from './menu';
import { electronReviewHost } from './review-host';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/preload.cjs');

// `npm start` only: Electron builds of the V8/NAN native modules; an installed copy ignores this.
redirectNativeModules({ isPackaged: app.isPackaged, env: process.env, target: process });

registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  // A second copy would open the same encrypted database: hand over to the first and leave.
  app.quit();
} else {
  let core: Core | undefined;
  let mainWindow: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  // DevTools never open in an installed copy, whatever the environment says.
  const devTools = !app.isPackaged;
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, undefined, { devTools }));

  app.on('window-all-closed', () => app.quit());

  app.on('before-quit', () => {
    void core?.close();
  });

  app
    .whenReady()
    .then(async () => {
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          appMenuTemplate({
            platform: process.platform,
            isPackaged: app.isPackaged,
            productName: app.getName(),
          }),
        ),
      );
      denyAllPermissions(session.defaultSession);
      serveRenderer(protocol, rendererDir);
      const shell = createShellServices({
        safeStorage,
        userDataDir: app.getPath('userData'),
        isPackaged: app.isPackaged,
      });
      // `--simulated-devices`: simulators' serial ports and a socket Bluetooth radio (README, "Simulators").
      const simulated = simulatedDevicesRequested({
        argv: process.argv,
        env: process.env,
        isPackaged: app.isPackaged,
      })
        ? await simulatedTransports({
            dir:
              app.isPackaged && !process.env.VITALS_SIM_DIR
                ? path.join(app.getPath('userData'), 'sim')
                : simulatedDevicesDir(process.env, process.cwd()),
          })
        : undefined;
      core = await createCore({
        ...shell.coreConfig,
        ...(simulated ? { devices: simulated.devices } : {}),
        appVersion: app.getVersion(),
        host: 'electron',
      });
      simulated?.attachLogger(core.logger);
      if (simulated) app.on('quit', () => void simulated.close());
      wireIpc(ipcMain, core);
      wireDroppedFiles(ipcMain, core);
      core.attachReviewHost(
        electronReviewHost({
          shell: electronShell,
          dialog,
          webContentsOf: (id) =>
            BrowserWindow.getAllWindows()
              .map((w) => w.webContents)
              .find((c) => c.id === id),
        }),
      );
      core.attachFilePicker(electronHomeFilePicker(dialog));
      mainWindow = new BrowserWindow(mainWindowOptions(preloadPath, { devTools }));
      forwardEvents(core, () => BrowserWindow.getAllWindows());
      mainWindow.once('ready-to-show', () => mainWindow?.show());
      await mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
      shell.afterWindow?.(core.logger);
    })
    .catch((error: unknown) => {
      // Refuse to run rather than run unsafely (e.g. no OS keychain for the database key).
      dialog.showErrorBox('Vitals Desk cannot start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
