/**
 * What an installed copy allows and logs: no DevTools whatever the environment, a menu without
 * reload or DevTools, no self-update on an MSI install, and causes in the log as codes only.
 * Electron's Menu and WebContents cannot exist here; the shell's templates and handlers are plain
 * data and functions, and the WebContents is a small event-emitter stand-in.
 */
import { EventEmitter } from 'node:events';
import type { MenuItemConstructorOptions, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { hardenWebContents } from '../../../main/app/harden';
import { appMenuTemplate } from '../../../main/app/menu';
import { updaterErrorFields, windowsInstallKind } from '../../../main/app/updater';
import { mainWindowOptions } from '../../../main/app/window';
import { openFailureFields } from '../../../main/db/open-failure';
import { redactFields } from '../../../main/logging/redact';

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

describe('DevTools and the menu', () => {
  it('an installed copy gets no DevTools even with NODE_ENV=development', () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    try {
      expect(mainWindowOptions('/p.cjs', { devTools: false }).webPreferences?.devTools).toBe(false);
      expect(mainWindowOptions('/p.cjs').webPreferences?.devTools).toBe(false);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it('DevTools opened anyway in an installed copy are closed at once', () => {
    let closed = 0;
    const contents = Object.assign(new EventEmitter(), {
      setWindowOpenHandler: () => undefined,
      closeDevTools: () => void closed++,
    });
    hardenWebContents(contents as unknown as WebContents);
    contents.emit('devtools-opened');
    expect(closed).toBe(1);
  });

  it.each(['darwin', 'win32', 'linux'] as const)(
    '%s installed: no reload, no DevTools; copy and paste kept',
    (platform) => {
      const template = appMenuTemplate({ platform, isPackaged: true, productName: 'Vitals Desk' });
      const all = roles(template);
      for (const banned of ['reload', 'forceReload', 'toggleDevTools', 'viewMenu'])
        expect(all).not.toContain(banned);
      expect(all).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo']));
    },
  );

  it('a development copy adds DevTools and reload', () => {
    const all = roles(appMenuTemplate({ platform: 'linux', isPackaged: false, productName: 'Vitals Desk' }));
    expect(all).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });
});

describe('updates on Windows', () => {
  const exe = 'C:\\Program Files\\Vitals Desk\\Vitals Desk.exe';
  it('an NSIS install (its uninstaller beside the exe) updates itself; an MSI install does not', () => {
    const exists = (f: string) => f === 'C:\\Program Files\\Vitals Desk\\Uninstall Vitals Desk.exe';
    expect(windowsInstallKind(exe, 'Vitals Desk', exists)).toBe('nsis');
    expect(windowsInstallKind(exe, 'Vitals Desk', () => false)).toBe('msi');
  });
});

describe('causes logged as codes, never free text', () => {
  it('updater errors keep electron-updater’s code and the HTTP status, drop URLs and paths', () => {
    const error = Object.assign(
      new Error('Cannot find latest.yml in https://updates.example/u/jane-doe/: HttpError: 404'),
      {
        code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
      },
    );
    const fields = redactFields(updaterErrorFields(error));
    expect(fields).toEqual({ error: 'Error', code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND', status: 404 });
    expect(JSON.stringify(fields)).not.toMatch(/jane|https/);
    expect(redactFields(updaterErrorFields(new Error('getaddrinfo ENOTFOUND updates.example')))).toEqual({
      error: 'Error',
      code: 'ENOTFOUND',
    });
  });

  it('a database module built for Node instead of Electron says so, with both ABI numbers', () => {
    const error = Object.assign(
      new Error(
        "The module '/home/nurse/app/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 150. Please try re-compiling.",
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const fields = redactFields(openFailureFields(error));
    expect(fields).toEqual({
      error: 'Error',
      reason: 'ERR_DLOPEN_FAILED',
      kind: 'native-module-abi',
      version: 'built-115-needs-150',
    });
    expect(JSON.stringify(fields)).not.toContain('nurse');
  });

  it('a SQLite or file-system failure logs its code', () => {
    expect(
      openFailureFields(
        Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' }),
      ),
    ).toMatchObject({
      reason: 'SQLITE_CANTOPEN',
    });
    expect(openFailureFields(new Error('libfoo.so: cannot open shared object file'))).toMatchObject({
      kind: 'native-module-missing',
    });
  });
});
