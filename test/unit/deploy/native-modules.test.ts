/**
 * `npm start` rebuilds for Electron every production native module that is a V8/NAN addon. The list
 * is checked against what is really installed: node_modules is scanned for `.node` files and each
 * is classified by how it registers with the runtime (N-API or V8/NAN).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  abiBoundModules,
  addonKind,
  ELECTRON_REBUILD_MODULES,
  keepNodeBuilds,
  productionPackageDirs,
} from '../../../scripts/native-modules.mjs';
import {
  missingElectronMessage,
  rebuildForElectron,
  withoutBuildDir,
} from '../../../scripts/start-electron.mjs';

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
const pkgDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

describe('native modules that need an Electron build', () => {
  const bound = abiBoundModules(root);

  it('every installed production V8/NAN addon is on the rebuild list', () => {
    expect(bound.length).toBeGreaterThan(0);
    expect(bound.map((m) => m.name).filter((name) => !ELECTRON_REBUILD_MODULES.includes(name))).toEqual([]);
  });

  it.skipIf(process.platform !== 'linux')('on Linux: the encrypted database and noble’s HCI socket', () => {
    expect(bound.map((m) => m.name).sort()).toEqual([...ELECTRON_REBUILD_MODULES].sort());
  });

  it('tells the two kinds apart on real binaries', () => {
    const sqlite = path.join(pkgDir('better-sqlite3-multiple-ciphers'), 'build/Release/better_sqlite3.node');
    expect(addonKind(readFileSync(sqlite))).toBe('abi');
    const serial = path.join(
      pkgDir('@serialport/bindings-cpp'),
      'prebuilds/linux-x64/@serialport+bindings-cpp.glibc.node',
    );
    expect(addonKind(readFileSync(serial))).toBe('napi');
    // An SQLite extension is a shared library but not a Node addon.
    const extension = path.join(
      pkgDir('better-sqlite3-multiple-ciphers'),
      'build/Release/test_extension.node',
    );
    expect(addonKind(readFileSync(extension))).toBe('none');
  });

  it('leaves out development-only addons, which never load in the app', () => {
    const production = [...productionPackageDirs(root).values()];
    expect(production).toContain('@abandonware/bluetooth-hci-socket');
    expect(production).not.toContain('libxmljs2'); // NAN, but only the SBOM tool's
    expect(bound.map((m) => m.name)).not.toContain('libxmljs2');
  });
});

describe('npm run dist leaves node_modules as it found it', () => {
  it('the Node builds electron-builder rebuilds in place for Electron are put back', () => {
    // A stand-in project: one production V8 addon (and an N-API one beside it, left alone).
    const project = mkdtempSync(path.join(os.tmpdir(), 'vitals-dist-native-'));
    const addon = path.join(project, 'node_modules/fake-addon');
    mkdirSync(path.join(addon, 'build/Release'), { recursive: true });
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ dependencies: { 'fake-addon': '1.0.0' } }),
    );
    writeFileSync(path.join(addon, 'package.json'), JSON.stringify({ name: 'fake-addon', version: '1.0.0' }));
    const v8File = path.join(addon, 'build/Release/fake.node');
    const napiFile = path.join(addon, 'build/Release/napi.node');
    writeFileSync(v8File, 'ELF..node_register_module_v127..built for Node 22');
    writeFileSync(napiFile, 'ELF..napi_register_module_v1..');

    const kept = keepNodeBuilds(project);
    expect(kept.files).toEqual([v8File]);
    writeFileSync(v8File, 'ELF..node_register_module_v150..built for Electron 45'); // what npmRebuild does
    kept.restore();
    expect(readFileSync(v8File, 'utf8')).toBe('ELF..node_register_module_v127..built for Node 22');
    expect(readFileSync(napiFile, 'utf8')).toBe('ELF..napi_register_module_v1..');
  });
});

describe('the rebuild copy', () => {
  it('leaves out the module’s own build/ even when the checkout sits under a folder named build', () => {
    const moduleDir = path.join('/home/dev/build/vitals-desk/node_modules/better-sqlite3-multiple-ciphers');
    const keep = withoutBuildDir(moduleDir);
    expect(keep(moduleDir)).toBe(true);
    expect(keep(path.join(moduleDir, 'src/better_sqlite3.cpp'))).toBe(true);
    expect(keep(path.join(moduleDir, 'deps/sqlite3/sqlite3.c'))).toBe(true);
    expect(keep(path.join(moduleDir, 'build'))).toBe(false);
    expect(keep(path.join(moduleDir, 'build/Release/better_sqlite3.node'))).toBe(false);
    expect(keep(path.join(moduleDir, 'lib/build-helpers.js'))).toBe(true);
  });
});

describe('npm start’s Electron builds', () => {
  // @electron/rebuild needs Electron's headers from the internet, so it is replaced by a function
  // that checks the copy it is given and writes what a build would.
  it('built once in a copy (sources in, old build out) and cached, leaving node_modules alone', async () => {
    // Under a folder named build: the copy must still contain the module's sources.
    const project = path.join(mkdtempSync(path.join(os.tmpdir(), 'vitals-start-')), 'build', 'vitals-desk');
    const dir = path.join(project, 'node_modules/fake-addon');
    mkdirSync(path.join(dir, 'build/Release'), { recursive: true });
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fake-addon', version: '2.0.0' }));
    writeFileSync(path.join(dir, 'src/addon.cc'), '// sources');
    writeFileSync(path.join(dir, 'build/Release/fake.node'), 'Node build');
    const module = { name: 'fake-addon', dir, files: ['build/Release/fake.node'] };
    const cacheRoot = path.join(project, 'cache');

    let builds = 0;
    const rebuild = async (o: { buildPath: string; electronVersion: string; onlyModules: string[] }) => {
      builds++;
      const copy = path.join(o.buildPath, 'node_modules/fake-addon');
      expect(readFileSync(path.join(copy, 'src/addon.cc'), 'utf8')).toBe('// sources');
      expect(() => readFileSync(path.join(copy, 'build/Release/fake.node'))).toThrow();
      expect(o).toMatchObject({ electronVersion: '45.5.0', onlyModules: ['fake-addon'] });
      mkdirSync(path.join(copy, 'build/Release'), { recursive: true });
      writeFileSync(path.join(copy, 'build/Release/fake.node'), 'Electron build');
    };

    const map = await rebuildForElectron(module, '45.5.0', { cacheRoot, rebuild });
    const cached = path.join(cacheRoot, '45.5.0/fake-addon@2.0.0/build/Release/fake.node');
    expect(map).toEqual({ [path.join(dir, 'build/Release/fake.node')]: cached });
    expect(readFileSync(cached, 'utf8')).toBe('Electron build');
    expect(readFileSync(path.join(dir, 'build/Release/fake.node'), 'utf8')).toBe('Node build');

    expect(await rebuildForElectron(module, '45.5.0', { cacheRoot, rebuild })).toEqual(map);
    expect(builds).toBe(1);
  });
});

describe('npm start without Electron’s binary', () => {
  it('says what works: online it downloads; offline ELECTRON_OVERRIDE_DIST_PATH or start:chromium', () => {
    const text = missingElectronMessage({ version: '45.5.0', reason: 'getaddrinfo ENOTFOUND github.com' });
    expect(text).toMatch(/downloads it the first time/);
    expect(text).toMatch(/ELECTRON_OVERRIDE_DIST_PATH/);
    expect(text).toMatch(/electron-v45\.5\.0-/);
    expect(text).toMatch(/npm run start:chromium/);
    expect(text).toContain('ENOTFOUND');
    expect(text).not.toMatch(/reinstall/i);
  });

  it('run for real with ELECTRON_OVERRIDE_DIST_PATH naming an empty folder: exits 1 with that advice', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'vitals-no-electron-'));
    const result = spawnSync(process.execPath, [path.join(root, 'scripts/start-electron.mjs')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ELECTRON_OVERRIDE_DIST_PATH: empty },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/could not start Electron 45\.5\.0/);
    expect(result.stderr).toMatch(/npm run start:chromium/);
  });
});
