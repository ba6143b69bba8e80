// `npm start`: launches the Electron app from the build.
//
// Native modules that are V8/NAN addons (the encrypted database; on Linux, noble's HCI socket) are
// tied to one runtime's ABI: the copies `npm install` built run under Node (tests, the Chromium
// host), not under Electron. Rather than rebuild them in place (which would break `npm test`),
// each is rebuilt for this Electron version once, in a temporary copy, and its `.node` files are
// kept under node_modules/.cache/electron-native; the app loads them through
// VITALS_ELECTRON_NATIVE_MAP, which only an unpackaged copy honours (main/app/dev-native.ts).
// N-API modules (serialport, usb, noble's macOS/Windows bindings) load in both as they are.
// Installers rebuild for Electron in electron-builder (`npmRebuild`, see scripts/dist.mjs).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { abiBoundModules, ELECTRON_REBUILD_MODULES } from './native-modules.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * What `npm start` says when Electron's binary cannot be had. Electron downloads it the first time
 * it is launched (`npm install` no longer does), so a failure here is that download failing. Pure.
 */
export function missingElectronMessage({ version, reason }) {
  return [
    `Vitals Desk could not start Electron ${version}: its binary is not on this machine, and`,
    `downloading it failed${reason ? ` (${reason})` : ''}. Electron downloads it the first time the`,
    'app starts, so when you are online `npm start` fetches it by itself. Otherwise:',
    '',
    '  - offline, with an Electron build copied from elsewhere: unpack the',
    `    electron-v${version}-<os>-<arch>.zip release and set ELECTRON_OVERRIDE_DIST_PATH to that`,
    '    folder (the one holding the electron executable), then `npm start` again;',
    '  - or run the same app in a Chromium window instead:',
    '',
    '        npm run start:chromium',
  ].join('\n');
}

/** Copies a module without its own top-level build/ (paths tested relative to the module). Pure filter. */
export function withoutBuildDir(moduleDir) {
  return (src) => {
    const rel = path.relative(moduleDir, src);
    return rel !== 'build' && !rel.startsWith(`build${path.sep}`);
  };
}

function electronBinary(version) {
  try {
    // Resolves the binary's path, downloading it on first use; throws when that fails.
    const binary = require('electron');
    if (typeof binary === 'string' && existsSync(binary)) return { binary };
    return { reason: `${binary} does not exist` };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { reason: message || `no Electron ${version} binary` };
  }
}

/**
 * Rebuilds one module for Electron in a temporary copy, once per module version and Electron version;
 * returns a map from its `.node` files in node_modules to their cached Electron builds.
 * `rebuild` is @electron/rebuild's (replaceable in tests, where Electron's headers cannot be fetched).
 */
export async function rebuildForElectron(module, electronVersion, options = {}) {
  const cacheRoot = options.cacheRoot ?? path.join(root, 'node_modules/.cache/electron-native');
  const rebuild = options.rebuild ?? (async (o) => (await import('@electron/rebuild')).rebuild(o));
  const { version } = JSON.parse(readFileSync(path.join(module.dir, 'package.json'), 'utf8'));
  const cacheDir = path.join(cacheRoot, electronVersion, `${module.name}@${version}`);
  const done = path.join(cacheDir, '.complete');
  if (!existsSync(done)) {
    console.log(`Building ${module.name} ${version} for Electron ${electronVersion} (once)…`);
    const work = mkdtempSync(path.join(os.tmpdir(), 'vitals-electron-native-'));
    try {
      const copy = path.join(work, 'node_modules', module.name);
      cpSync(module.dir, copy, { recursive: true, filter: withoutBuildDir(module.dir) });
      writeFileSync(
        path.join(work, 'package.json'),
        JSON.stringify({ name: 'native', version: '1.0.0', dependencies: { [module.name]: version } }),
      );
      await rebuild({ buildPath: work, electronVersion, onlyModules: [module.name], force: true });
      rmSync(cacheDir, { recursive: true, force: true });
      for (const file of module.files) {
        const built = path.join(copy, file);
        if (!existsSync(built)) continue; // an intermediate copy the Electron build does not make
        mkdirSync(path.dirname(path.join(cacheDir, file)), { recursive: true });
        cpSync(built, path.join(cacheDir, file));
      }
      writeFileSync(done, '');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const map = {};
  for (const file of module.files) {
    if (existsSync(path.join(cacheDir, file))) map[path.join(module.dir, file)] = path.join(cacheDir, file);
  }
  if (Object.keys(map).length === 0)
    throw new Error(`the Electron build of ${module.name} made no .node file`);
  return map;
}

async function main() {
  const electronVersion = require('electron/package.json').version;
  const found = electronBinary(electronVersion);
  if (!found.binary) {
    console.error(missingElectronMessage({ version: electronVersion, reason: found.reason }));
    process.exit(1);
  }

  const bound = abiBoundModules(root);
  const unlisted = bound.filter((m) => !ELECTRON_REBUILD_MODULES.includes(m.name));
  if (unlisted.length > 0) {
    console.warn(
      `Note: ${unlisted.map((m) => m.name).join(', ')} also need an Electron build; rebuilding them too.`,
    );
  }
  const map = {};
  for (const module of bound) Object.assign(map, await rebuildForElectron(module, electronVersion));
  const mapFile = path.join(root, 'node_modules/.cache/electron-native', electronVersion, 'native-map.json');
  mkdirSync(path.dirname(mapFile), { recursive: true });
  writeFileSync(mapFile, JSON.stringify(map, null, 2));

  // Arguments after `npm start --` reach the app (e.g. --simulated-devices).
  const child = spawn(found.binary, ['.', ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, VITALS_ELECTRON_NATIVE_MAP: mapFile },
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
