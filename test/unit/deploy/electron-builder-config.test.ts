/**
 * The installer configuration, checked statically: installers cannot be built on this machine (no
 * Electron binary, no network for electron-builder's tools), so the config is validated against
 * electron-builder's own JSON schema and its security settings are asserted one by one. The hooks run
 * for real on stand-in files (a fake Electron binary carrying a real fuse wire).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { minimatch } from 'minimatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

interface Target {
  target: string;
  arch?: string[];
}
interface BuilderConfig {
  appId: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  afterPack: string;
  afterAllArtifactBuild: string;
  forceCodeSigning: boolean;
  mac: {
    target: Target[];
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    notarize: boolean;
    icon: string;
    extendInfo: Record<string, string>;
  };
  win: {
    target: Target[];
    icon: string;
    signtoolOptions: { sign: string; signingHashAlgorithms: string[]; rfc3161TimeStampServer: string };
    verifyUpdateCodeSignature?: boolean;
  };
  nsis: {
    oneClick: boolean;
    perMachine: boolean;
    selectPerMachineByDefault: boolean;
    allowElevation: boolean;
    deleteAppDataOnUninstall: boolean;
  };
  msi: { perMachine: boolean; upgradeCode: string };
  linux: { target: Target[]; icon: string };
  publish: { provider: string; url: string; channel: string }[];
}

const inRepo = (file: string): string => path.join(root, file);

describe('electron-builder.yml against electron-builder’s own schema', () => {
  const schema = JSON.parse(
    readFileSync(inRepo('node_modules/app-builder-lib/scheme.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema marks hook options as "a function or a path"; a YAML file can only hold the path.
  ajv.addKeyword({
    keyword: 'typeof',
    validate: (expected: string, data: unknown) => typeof data === expected,
  });
  const validate = ajv.compile(schema);

  it('is valid', () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the validator does catch mistakes (a misspelt option, a wrong type)', () => {
    expect(validate({ ...config, nsis: { ...config.nsis, perMachin: true } })).toBe(false);
    expect(validate({ ...config, npmRebuild: 'yes' })).toBe(false);
  });
});

describe('native modules', () => {
  const unpacked = (file: string): boolean =>
    config.asarUnpack.some((pattern) => minimatch(file, pattern, { dot: true }));

  it.each([
    'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
    'node_modules/@serialport/bindings-cpp/prebuilds/linux-x64/@serialport+bindings-cpp.glibc.node',
    'node_modules/@abandonware/noble/lib/mac/native/binding.node',
    'node_modules/@abandonware/noble/build/Release/binding.node',
    'node_modules/@abandonware/bluetooth-hci-socket/build/Release/bluetooth_hci_socket.node',
  ])('%s is unpacked from the asar', (file) => {
    expect(unpacked(file)).toBe(true);
  });

  it.each([
    'node_modules/@serialport/bindings-cpp/dist/index.js',
    'node_modules/@abandonware/noble/lib/noble.js',
    'node_modules/better-sqlite3-multiple-ciphers/deps/sqlite3/sqlite3.c',
    'dist/main/main.js',
    'dist/renderer/index.html',
    'dist/preload/preload.cjs',
  ])('%s (not a native binary, not the import worker) stays inside the integrity-checked asar', (file) => {
    expect(unpacked(file)).toBe(false);
  });

  it('asarUnpack holds native binaries, and the import worker with what it loads (test/e2e/packaged-worker.test.ts runs it)', () => {
    expect(config.asarUnpack).toEqual([
      '**/*.node',
      'package.json',
      'dist/main/home-import-worker.js',
      'dist/main/assets/*.js',
      'node_modules/better-sqlite3-multiple-ciphers/package.json',
      'node_modules/better-sqlite3-multiple-ciphers/lib/**',
      'node_modules/bindings/**',
      'node_modules/file-uri-to-path/**',
      'node_modules/zod/**',
    ]);
  });

  it('every native binary installed here would be unpacked', () => {
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.node'))
          found.push(path.relative(root, full).split(path.sep).join('/'));
      }
    };
    for (const pkg of ['better-sqlite3-multiple-ciphers', '@serialport/bindings-cpp', '@abandonware']) {
      if (existsSync(inRepo(`node_modules/${pkg}`))) walk(inRepo(`node_modules/${pkg}`));
    }
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((file) => !unpacked(file))).toEqual([]);
  });

  it('are rebuilt for Electron, inside an asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
  });

  it('ships only the built bundles, not sources or source maps', () => {
    expect(config.files).toContain('dist/**/*');
    expect(config.files).toContain('!**/*.map');
    expect(config.files.some((f) => f.startsWith('main/') || f.startsWith('renderer/'))).toBe(false);
  });
});

describe('macOS', () => {
  it('hardened runtime, notarization, dmg and zip (the updater installs from the zip)', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
    expect(config.mac.target.map((t) => t.target).sort()).toEqual(['dmg', 'zip']);
    expect(existsSync(inRepo(config.mac.icon))).toBe(true);
  });

  it('explains Bluetooth use to the user', () => {
    expect(config.mac.extendInfo.NSBluetoothAlwaysUsageDescription).toMatch(/Bluetooth .*vital signs/);
  });

  it('entitlements exist and grant Bluetooth, serial and USB, and nothing that weakens the runtime', () => {
    const entitlements = readFileSync(inRepo(config.mac.entitlements), 'utf8');
    const granted = [...entitlements.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]).sort();
    expect(granted).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.device.bluetooth',
      'com.apple.security.device.serial',
      'com.apple.security.device.usb',
    ]);
    const inherited = readFileSync(inRepo(config.mac.entitlementsInherit), 'utf8');
    for (const text of [entitlements, inherited]) {
      expect(text).not.toMatch(
        /<key>[^<]*(disable-library-validation|allow-unsigned-executable-memory|allow-dyld-environment-variables|get-task-allow)/,
      );
    }
  });
});

describe('Windows', () => {
  it('NSIS with a per-machine option (silent: /S /allusers) and an MSI for managed deployment', () => {
    expect(config.win.target.map((t) => t.target).sort()).toEqual(['msi', 'nsis']);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: false,
      selectPerMachineByDefault: true,
      allowElevation: true,
    });
    expect(config.nsis.deleteAppDataOnUninstall).toBe(false);
    expect(config.msi.perMachine).toBe(true);
    expect(config.msi.upgradeCode).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(existsSync(inRepo(config.win.icon))).toBe(true);
  });

  it('signs SHA-256 with a timestamp through the hook, and updates are checked against the publisher', () => {
    expect(config.win.signtoolOptions.signingHashAlgorithms).toEqual(['sha256']);
    expect(config.win.signtoolOptions.rfc3161TimeStampServer).toMatch(/^https?:\/\//);
    expect(existsSync(inRepo(config.win.signtoolOptions.sign))).toBe(true);
    expect(config.win.verifyUpdateCodeSignature).not.toBe(false);
  });
});

describe('Linux', () => {
  it('deb, AppImage and rpm, with icons, and a GPG signing hook', () => {
    expect(config.linux.target.map((t) => t.target).sort()).toEqual(['AppImage', 'deb', 'rpm']);
    expect(existsSync(path.join(inRepo(config.linux.icon), '512x512.png'))).toBe(true);
    expect(existsSync(inRepo(config.afterAllArtifactBuild))).toBe(true);
  });
});

describe('updates feed', () => {
  it('is a generic HTTPS feed', () => {
    expect(config.publish).toHaveLength(1);
    expect(config.publish[0]).toMatchObject({ provider: 'generic', channel: 'latest' });
    expect(config.publish[0]!.url).toMatch(/^https:\/\//);
  });
});

describe('Electron fuses (afterPack hook)', () => {
  interface FusesModule {
    FuseV1Options: Record<string, number | string>;
  }
  const { FuseV1Options } = require('@electron/fuses') as FusesModule;
  const { fuseConfig } = require(inRepo('build/fuses.cjs')) as {
    fuseConfig(o: { resetAdHocDarwinSignature: boolean }): Record<string, unknown>;
  };
  type AfterPack = ((context: object) => Promise<void>) & { electronBinaryPath(context: object): string };
  const afterPack = require(inRepo(config.afterPack)) as AfterPack;

  const EXPECTED: Record<string, boolean> = {
    RunAsNode: false,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableCookieEncryption: true,
    OnlyLoadAppFromAsar: true,
    EnableEmbeddedAsarIntegrityValidation: true,
    GrantFileProtocolExtraPrivileges: false,
  };

  it('a fuse this build does not know stops packaging with what to do, not only what broke', () => {
    const { explainFuseError } = require(inRepo('build/after-pack.cjs')) as {
      explainFuseError(e: unknown): Error;
    };
    const strict = new Error(
      'strictlyRequireAllFuses: The fuse wire in the Electron binary has 10 fuses but you only provided a config for 9 fuses, you may need to update @electron/fuses or provide additional fuse settings',
    );
    const explained = explainFuseError(strict);
    expect(explained.message).toMatch(/^strictlyRequireAllFuses/);
    expect(explained.message).toMatch(/npm install --save-exact --save-dev @electron\/fuses@latest/);
    expect(explained.message).toMatch(/build\/fuses\.cjs/);
    const other = new Error('EACCES: permission denied');
    expect(explainFuseError(other)).toBe(other);
  });

  it('the hook’s fuse configuration sets each security fuse, and every fuse explicitly', () => {
    const fuses = fuseConfig({ resetAdHocDarwinSignature: false });
    for (const [name, value] of Object.entries(EXPECTED)) {
      expect([name, fuses[String(FuseV1Options[name])]]).toEqual([name, value]);
    }
    expect(fuses.strictlyRequireAllFuses).toBe(true);
    const allFuses = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
    expect(allFuses.filter((index) => typeof fuses[String(index)] !== 'boolean')).toEqual([]);
  });

  describe('flips the fuses in a packed app', () => {
    const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-fuses-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** A stand-in for the Electron binary: junk around a fuse wire as Electron lays it out (all fuses at 0x30/0x31 defaults). */
    function fakeElectron(file: string, wireText = '101110010'): void {
      mkdirSync(path.dirname(file), { recursive: true });
      const wire = Buffer.from(wireText, 'ascii');
      writeFileSync(
        file,
        Buffer.concat([
          Buffer.alloc(4096, 7),
          Buffer.from(SENTINEL),
          Buffer.from([1, wire.length]),
          wire,
          Buffer.alloc(4096, 9),
        ]),
      );
    }
    function readWire(file: string): Record<string, boolean> {
      const bytes = readFileSync(file);
      const at = bytes.indexOf(SENTINEL) + SENTINEL.length;
      const length = bytes[at + 1]!;
      const wire = bytes.subarray(at + 2, at + 2 + length);
      return Object.fromEntries(
        Object.keys(EXPECTED).map((name) => [name, wire[Number(FuseV1Options[name])] === 0x31]),
      );
    }
    const packager = { executableName: 'vitals-desk', appInfo: { productFilename: 'Vitals Desk' } };

    it('an Electron with a fuse the build does not decide stops packaging and says what to do', async () => {
      const file = path.join(dir, 'vitals-desk');
      fakeElectron(file, '1011100100'); // one fuse more than @electron/fuses 2.1.3 knows
      await expect(
        afterPack({ appOutDir: dir, electronPlatformName: 'linux', packager, arch: 1 }),
      ).rejects.toThrow(/choose a value for each new fuse in build\/fuses\.cjs/);
    });

    it.each([
      ['linux', 'vitals-desk'],
      ['win32', 'Vitals Desk.exe'],
      ['darwin', 'Vitals Desk.app/Contents/Frameworks/Electron Framework.framework/Electron Framework'],
    ])('%s', async (platform, binary) => {
      const file = path.join(dir, binary);
      fakeElectron(file);
      // Arch 1 is x64 (builder-util's Arch enum): no ad-hoc re-signing, which needs macOS's codesign.
      await afterPack({ appOutDir: dir, electronPlatformName: platform, packager, arch: 1 });
      expect(readWire(file)).toEqual(EXPECTED);
    });
  });
});
