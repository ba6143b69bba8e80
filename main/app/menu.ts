import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu, replacing Electron's default (whose View menu reloads the app and opens
 * DevTools). Only what a nurse needs: copy and paste in forms, and closing the window. An
 * unpackaged development build adds DevTools and reload.
 */
export function appMenuTemplate(options: {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  productName: string;
}): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const menu: MenuItemConstructorOptions[] = [];
  if (mac) {
    menu.push({
      label: options.productName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'quit' },
      ],
    });
  }
  menu.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });
  menu.push({
    label: 'Window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'close' }] : [{ role: 'minimize' }, { role: 'quit' }],
  });
  if (!options.isPackaged) {
    menu.push({
      label: 'Development',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }],
    });
  }
  return menu;
}
