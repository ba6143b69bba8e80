// `npm start`: launches the Electron app from the build. Where Electron's binary is missing (it could
// not be downloaded), says so and how to run the same app in Chromium instead.
//
// better-sqlite3-multiple-ciphers is a V8 (not N-API) addon: the copy `npm install` built runs under
// Node (tests, Chromium host), not under Electron's ABI. Rather than rebuild it in place (which would
// break `npm test`), a copy is rebuilt for this Electron version once, kept under node_modules/.cache,
// and handed to the app through VITALS_SQLITE_NATIVE_BINDING. serialport and noble are N-API and
// load in both. Packaged installers rebuild natively for Electron (electron-builder `npmRebuild`).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const binary = require('electron'); // resolves the downloaded binary's path, or throws
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

async function sqliteBindingForElectron(electronVersion) {
  const target = path.resolve('node_modules/.cache/electron-native', electronVersion, 'better_sqlite3.node');
  if (existsSync(target)) return target;
  console.log(`Building the encrypted database module for Electron ${electronVersion} (once)…`);
  const work = mkdtempSync(path.join(os.tmpdir(), 'vitals-electron-native-'));
  try {
    const moduleDir = path.join(work, 'node_modules', 'better-sqlite3-multiple-ciphers');
    cpSync(path.resolve('node_modules/better-sqlite3-multiple-ciphers'), moduleDir, {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}build${path.sep}`),
    });
    writeFileSync(
      path.join(work, 'package.json'),
      JSON.stringify({
        name: 'native',
        version: '1.0.0',
        dependencies: { 'better-sqlite3-multiple-ciphers': '*' },
      }),
    );
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({
      buildPath: work,
      electronVersion,
      onlyModules: ['better-sqlite3-multiple-ciphers'],
      force: true,
    });
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(moduleDir, 'build', 'Release', 'better_sqlite3.node'), target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const binary = electronBinary();
if (!binary) {
  console.error(
    [
      'Vitals Desk could not find the Electron binary (`npm install` downloads it, unless',
      'ELECTRON_SKIP_BINARY_DOWNLOAD was set). Reinstall with `npm install` to get it, or run the same',
      'app in a Chromium window instead:',
      '',
      '    npm run start:chromium',
    ].join('\n'),
  );
  process.exit(1);
}

const electronVersion = require('electron/package.json').version;
const binding = await sqliteBindingForElectron(electronVersion);
const child = spawn(binary, ['.'], {
  stdio: 'inherit',
  env: { ...process.env, VITALS_SQLITE_NATIVE_BINDING: binding },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
