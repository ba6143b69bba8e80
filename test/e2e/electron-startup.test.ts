/**
 * Startup smoke test of the built app (dist/main/main.js and dist/preload/preload.cjs, from
 * `npm run build`). Electron's binary cannot run here, so only Electron itself is replaced: by the
 * stand-in in ./electron-stand-in, which keeps the Electron rules a broken startup would break and
 * logs each call in order. Everything else (the core, the encrypted database, the app:// protocol
 * serving the built renderer) is the real code, run by Node.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc/transport';

const root = path.resolve(import.meta.dirname, '../..');
const mainJs = path.join(root, 'dist/main/main.js');
const preloadJs = path.join(root, 'dist/preload/preload.cjs');
const hooks = path.join(import.meta.dirname, 'electron-stand-in/hooks.mjs');

interface Entry {
  event: string;
  [key: string]: unknown;
}

function launch(script: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-startup-'));
  const logFile = path.join(dir, 'calls.jsonl');
  writeFileSync(logFile, '');
  const result = spawnSync(process.execPath, ['--import', hooks, script], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      STAND_IN_LOG: logFile,
      STAND_IN_USER_DATA: path.join(dir, 'user-data'),
      STAND_IN_EXIT_AFTER_LOAD: '1',
      ...env,
    },
    encoding: 'utf8',
    timeout: 90_000,
  });
  const calls = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);
  const appLog = path.join(dir, 'user-data/data/logs/main.log');
  return {
    status: result.status,
    stderr: result.stderr,
    calls,
    events: calls.map((c) => c.event),
    appLog: existsSync(appLog) ? readFileSync(appLog, 'utf8') : '',
    find: (event: string) => calls.find((c) => c.event === event),
  };
}

describe('the built app starts under Electron’s rules (run `npm run build` first)', () => {
  it('in order: privileged scheme, single-instance lock, ready, protocol handler, window, load', () => {
    const run = launch(mainJs);
    expect(run.events.filter((e) => e === 'violation' || e === 'dialog.showErrorBox')).toEqual([]);
    expect(run.status).toBe(0);
    const order = [
      'protocol.registerSchemesAsPrivileged',
      'app.requestSingleInstanceLock',
      'ready',
      'protocol.handle',
      'BrowserWindow',
      'loadURL',
      'loaded',
      'window.show',
    ];
    expect(run.events.filter((e) => order.includes(e))).toEqual(order);
    expect(run.find('protocol.registerSchemesAsPrivileged')?.schemes).toEqual(['app']);
    // The page really came through the app:// handler, with its Content Security Policy.
    expect(run.find('loaded')).toMatchObject({ status: 200, hasRoot: true });
    expect(String(run.find('loaded')?.csp)).toMatch(/default-src 'none'/);
    expect(run.find('BrowserWindow')).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      preloadExists: true,
    });
    // The encrypted database opened with the key wrapped by the (stand-in) OS keychain.
    expect(run.appLog).toMatch(/"provider":"safe-storage","event":"db.opened"/);
    expect(run.appLog).not.toMatch(/db\.open_failed/);
  });

  it('installed: no DevTools and no development menu even with NODE_ENV=development, and a native-module map from the environment is ignored', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-evil-map-'));
    const map = path.join(dir, 'map.json');
    const sqlite = path.join(
      root,
      'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
    );
    writeFileSync(map, JSON.stringify({ [sqlite]: path.join(dir, 'evil.node') }));
    const run = launch(mainJs, {
      STAND_IN_PACKAGED: '1',
      NODE_ENV: 'development',
      VITALS_ELECTRON_NATIVE_MAP: map,
    });
    expect(run.events.filter((e) => e === 'violation' || e === 'dialog.showErrorBox')).toEqual([]);
    expect(run.find('BrowserWindow')?.devTools).toBe(false);
    expect(run.find('Menu.setApplicationMenu')?.menus).not.toContain('Development');
    // Had the map been honoured, the database module would have been loaded from evil.node and failed.
    expect(run.appLog).toMatch(/"event":"db.opened"/);
  });

  it('a second copy takes no lock, opens no window and quits', () => {
    const run = launch(mainJs, { STAND_IN_LOCK: 'taken' });
    expect(run.events).toContain('app.quit');
    expect(run.events).not.toContain('BrowserWindow');
    expect(run.events).not.toContain('protocol.handle');
  });

  it('the stand-in fails a startup that breaks Electron’s order (a window before ready)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-broken-main-'));
    const broken = path.join(dir, 'main.mjs');
    writeFileSync(broken, "import { BrowserWindow } from 'electron';\nnew BrowserWindow({});\n");
    const run = launch(broken);
    expect(run.status).not.toBe(0);
    expect(run.find('violation')?.message).toMatch(/before app is ready/);
  });
});

describe('the built preload runs in a sandbox', () => {
  // A sandboxed preload gets a `require` that knows only a few modules; this one may use only
  // `electron`'s contextBridge and ipcRenderer. Anything else it asked for would fail in Electron.
  function runPreload() {
    const required: string[] = [];
    const used = new Set<string>();
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const electron = new Proxy(
      {
        contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
        ipcRenderer: {
          invoke: (...args: unknown[]) => (invoked.push(args), Promise.resolve({ ok: true, value: null })),
          on: () => undefined,
          removeListener: () => undefined,
        },
        webUtils: { getPathForFile: () => '' },
      } as Record<string, unknown>,
      {
        get(target, key) {
          used.add(String(key));
          if (!(key in target)) throw new Error(`electron.${String(key)} is not available to this preload`);
          return target[key as string];
        },
      },
    );
    const sandboxRequire = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`module not found: ${name} (sandboxed preload)`);
      return electron;
    };
    const module = { exports: {} };
    vm.runInNewContext(readFileSync(preloadJs, 'utf8'), {
      require: sandboxRequire,
      module,
      exports: module.exports,
      console,
      Promise,
    });
    return { required, used, exposed, invoked };
  }

  it('requires only electron, and of it only contextBridge, ipcRenderer and webUtils (dropped files)', async () => {
    const run = runPreload();
    // A dropped file's path is looked up only when a file is dropped.
    await (run.exposed.vitals as { dropFile(f: unknown): Promise<unknown> }).dropFile({});
    expect([...new Set(run.required)]).toEqual(['electron']);
    expect(
      [...run.used].filter((k) => !['contextBridge', 'ipcRenderer', 'webUtils', '__esModule'].includes(k)),
    ).toEqual([]);
  });

  it('exposes the bridge, which sends a known channel through the one invoke channel', async () => {
    const run = runPreload();
    const bridge = run.exposed.vitals as { invoke(c: string, r: unknown): Promise<unknown> };
    expect(Object.keys(run.exposed)).toEqual(['vitals']);
    await bridge.invoke('auth.status', {});
    expect(run.invoked).toEqual([[INVOKE_CHANNEL, 'auth.status', {}]]);
    // An unknown channel never reaches main.
    await bridge.invoke('no.such', {});
    expect(run.invoked).toHaveLength(1);
    expect(EVENT_CHANNEL).not.toBe(INVOKE_CHANNEL);
  });
});
