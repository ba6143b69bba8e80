import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options. Every security-relevant web preference is spelled out, even where it is
 * Electron's default, so a test can hold it and a reviewer can see it.
 */
export function mainWindowOptions(
  preloadPath: string,
  options: { devTools: boolean } = { devTools: false },
): BrowserWindowConstructorOptions {
  return {
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: 'Vitals Desk',
    show: false,
    backgroundColor: '#f4f6f8',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Only an unpackaged development copy; never from the environment (NODE_ENV) of an installed one.
      devTools: options.devTools,
    },
  };
}
