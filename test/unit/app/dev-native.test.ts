/**
 * `npm start` hands the app Electron builds of native modules through VITALS_ELECTRON_NATIVE_MAP.
 * The redirect is exercised with Node's real process.dlopen loading a real addon (this machine's
 * build of better-sqlite3-multiple-ciphers), so "loaded" means a native file was really mapped in.
 * The attack: the same variable set on an installed copy must load nothing it names.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { NATIVE_MAP_ENV, redirectNativeModules } from '../../../main/app/dev-native';

const require = createRequire(import.meta.url);
const realAddon = path.join(
  path.dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json')),
  'build/Release/better_sqlite3.node',
);
// Where the app would look for the module: a file that does not exist, so only the redirect can load it.
const asRequested = path.join(os.tmpdir(), 'no-such-app/node_modules/db/build/Release/better_sqlite3.node');

function mapFile(map: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-native-map-'));
  const file = path.join(dir, 'native-map.json');
  writeFileSync(file, JSON.stringify(map));
  return file;
}

const loader = () => ({
  dlopen: process.dlopen.bind(process) as (m: object, f: string, fl?: number) => void,
});

describe('Electron builds of native modules in development', () => {
  it('not packaged: a mapped file loads its Electron build instead', () => {
    const target = loader();
    const env = { [NATIVE_MAP_ENV]: mapFile({ [asRequested]: realAddon }) };
    expect(redirectNativeModules({ isPackaged: false, env, target })).toEqual({
      kind: 'redirected',
      modules: 1,
    });
    const module = { exports: {} as Record<string, unknown> };
    target.dlopen(module, asRequested);
    expect(typeof module.exports.Database).toBe('function');
  });

  it('packaged: the variable is ignored, its file never read, and the named native file never loaded', () => {
    const target = loader();
    const original = target.dlopen;
    const readFile = vi.fn(() => JSON.stringify({ [asRequested]: realAddon }));
    const env = { [NATIVE_MAP_ENV]: '/anywhere/native-map.json' };
    expect(redirectNativeModules({ isPackaged: true, env, target, readFile })).toEqual({ kind: 'packaged' });
    expect(readFile).not.toHaveBeenCalled();
    expect(target.dlopen).toBe(original);
    expect(() => target.dlopen({ exports: {} }, asRequested)).toThrow();
  });

  it('unmapped files load as asked', () => {
    const target = { dlopen: vi.fn() };
    const calls = target.dlopen;
    redirectNativeModules({
      isPackaged: false,
      env: { [NATIVE_MAP_ENV]: mapFile({ [asRequested]: realAddon }) },
      target,
    });
    target.dlopen({}, '/elsewhere/other.node');
    expect(calls).toHaveBeenCalledWith({}, '/elsewhere/other.node');
  });

  it('without the variable nothing changes', () => {
    const target = loader();
    const original = target.dlopen;
    expect(redirectNativeModules({ isPackaged: false, env: {}, target })).toEqual({ kind: 'none' });
    expect(target.dlopen).toBe(original);
  });

  it('refuses a map that names something other than absolute .node paths', () => {
    for (const bad of [{ [asRequested]: 'relative/x.node' }, { [asRequested]: '/tmp/evil.so' }, ['x']]) {
      expect(() =>
        redirectNativeModules({
          isPackaged: false,
          env: { [NATIVE_MAP_ENV]: mapFile(bad as Record<string, string>) },
          target: loader(),
        }),
      ).toThrow(/not a map of \.node paths/);
    }
  });
});
