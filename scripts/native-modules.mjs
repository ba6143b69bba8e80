// Which installed native modules are tied to one runtime's ABI. A `.node` addon either registers
// through N-API (`napi_register_module_v1`: loads in Node and Electron alike) or through V8/NAN
// (`node_register_module_v<ABI>` / `node_module_register`: loads only in the runtime it was built
// for). The second kind must be rebuilt for Electron; `npm start` and the tests use this list.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Production native modules that are V8/NAN addons and are rebuilt for Electron by `npm start`.
 * A test scans node_modules and fails when one is missing here.
 */
export const ELECTRON_REBUILD_MODULES = [
  'better-sqlite3-multiple-ciphers',
  '@abandonware/bluetooth-hci-socket',
];

/** 'napi' | 'abi' | 'none' (not a Node addon, e.g. an SQLite extension) for a `.node` file's bytes. Pure. */
export function addonKind(bytes) {
  if (bytes.includes('napi_register_module_v1')) return 'napi';
  if (bytes.includes('node_register_module_v') || bytes.includes('node_module_register')) return 'abi';
  return 'none';
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Node's lookup of `name` from a package directory: its own node_modules, then each parent's. */
function resolvePackageDir(name, fromDir, root) {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.resolve(dir) === path.resolve(root)) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Directories of every package the app needs at run time (dependencies, transitively; not dev). */
export function productionPackageDirs(root) {
  const seen = new Map(); // dir -> name
  const queue = [{ dir: root, pkg: readJson(path.join(root, 'package.json')) }];
  while (queue.length > 0) {
    const { dir, pkg } = queue.shift();
    const names = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
    for (const name of names) {
      const found = resolvePackageDir(name, dir, root);
      if (!found || seen.has(found)) continue; // optional dependencies may be absent on this OS
      seen.set(found, name);
      queue.push({ dir: found, pkg: readJson(path.join(found, 'package.json')) });
    }
  }
  return seen;
}

function nodeFilesUnder(dir) {
  const found = [];
  const walk = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      // A package's own dependencies are scanned as packages of their own.
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(full);
      else if (entry.isFile() && entry.name.endsWith('.node')) found.push(full);
    }
  };
  walk(dir);
  return found;
}

/**
 * Production packages whose built `.node` files register through V8/NAN rather than N-API, with
 * those files (paths relative to the package). Prebuilds for other platforms are N-API here.
 */
export function abiBoundModules(root) {
  const result = [];
  for (const [dir, name] of productionPackageDirs(root)) {
    const files = nodeFilesUnder(dir).filter(
      (file) => statSync(file).size > 0 && addonKind(readFileSync(file)) === 'abi',
    );
    if (files.length > 0) result.push({ name, dir, files: files.map((f) => path.relative(dir, f)) });
  }
  return result.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Keeps a copy of the Node builds of the V8/NAN addons, for putting back after electron-builder has
 * rebuilt them in place for Electron (`npmRebuild`): otherwise `npm test` and the Chromium host
 * would find Electron-ABI binaries in node_modules until the next `npm rebuild`. Returns `restore`.
 */
export function keepNodeBuilds(root) {
  const saved = mkdtempSync(path.join(os.tmpdir(), 'vitals-node-builds-'));
  const files = abiBoundModules(root).flatMap((m) => m.files.map((f) => path.join(m.dir, f)));
  files.forEach((file, i) => copyFileSync(file, path.join(saved, String(i))));
  return {
    files,
    restore() {
      files.forEach((file, i) => {
        mkdirSync(path.dirname(file), { recursive: true });
        copyFileSync(path.join(saved, String(i)), file);
      });
      rmSync(saved, { recursive: true, force: true });
    },
  };
}
