/**
 * The CI guard that native modules build for the pinned Electron (scripts/check-native-abi.mjs), run
 * for real with the machine's C++ compiler. Node's real headers come from the npm registry, which
 * tests must not depend on, so these tests give the guard a small stand-in header set laid out like
 * Node's (node_version.h, v8-version.h, a V8 class with one deprecated and one current overload),
 * and a module whose glue calls one or the other: the shape of better-sqlite3-multiple-ciphers
 * 12.9.0 (`External::New(isolate, value)`) against 12.11.1 (the tagged overload).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileArgs, RECIPES } from '../../../scripts/check-native-abi.mjs';

const root = path.resolve(import.meta.dirname, '../../..');
const hasCompiler = spawnSync(process.env.CXX || 'c++', ['--version']).status === 0;

const NODE_VERSION_H = `#pragma once
#if defined(NODE_EMBEDDER_MODULE_VERSION)
#define NODE_MODULE_VERSION NODE_EMBEDDER_MODULE_VERSION
#else
#define NODE_MODULE_VERSION 147
#endif
`;
const V8_H = `#pragma once
#define V8_MAJOR_VERSION 14
#define V8_MINOR_VERSION 6
#if defined(V8_DEPRECATION_WARNINGS)
#define V8_DEPRECATED(m) [[deprecated(m)]]
#else
#define V8_DEPRECATED(m)
#endif
namespace v8 { struct External {
  V8_DEPRECATED("Use the version with the type tag.") static External* New(void* value) { return nullptr; }
  static External* New(void* value, unsigned short tag) { return nullptr; }
}; }
`;
const glue = (call: string) => `#include <node_version.h>
#include <v8-version.h>
#include <sqlite3.h>
static_assert(NODE_MODULE_VERSION == 150, "built for Electron 45's ABI");
void init(void* addon) { ${call}; }
`;

describe.skipIf(!hasCompiler || process.platform === 'win32')('native ABI guard', () => {
  let dir: string;
  let headers: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-abi-guard-'));
    headers = path.join(dir, 'include', 'node');
    mkdirSync(headers, { recursive: true });
    writeFileSync(path.join(headers, 'node_version.h'), NODE_VERSION_H);
    writeFileSync(path.join(headers, 'v8-version.h'), V8_H);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function moduleWith(name: string, call: string): string {
    const pkg = path.join(dir, name);
    mkdirSync(path.join(pkg, 'src'), { recursive: true });
    mkdirSync(path.join(pkg, 'deps', 'sqlite3'), { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name, version: name }));
    writeFileSync(path.join(pkg, 'deps', 'sqlite3', 'sqlite3.h'), '#pragma once\n');
    writeFileSync(path.join(pkg, 'src', 'better_sqlite3.cpp'), glue(call));
    return pkg;
  }

  function guard(pkg: string) {
    const result = spawnSync(
      process.execPath,
      [
        path.join(root, 'scripts/check-native-abi.mjs'),
        '--only',
        'better-sqlite3-multiple-ciphers',
        '--headers-dir',
        headers,
        '--source',
        `better-sqlite3-multiple-ciphers=${pkg}`,
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    return { status: result.status, out: result.stdout + result.stderr };
  }

  it('fails a module whose glue calls a V8 API that V8 deprecated (removed in Electron’s newer V8)', () => {
    const result = guard(moduleWith('old-glue', 'v8::External::New(addon)'));
    expect(result.status).toBe(1);
    expect(result.out).toMatch(/better-sqlite3-multiple-ciphers@old-glue .* does not build for Electron 45/);
    expect(result.out).toMatch(/External::New.*deprecated/);
  });

  it('passes the same module once it uses the current API, compiled with Electron’s ABI (150)', () => {
    const result = guard(moduleWith('new-glue', 'v8::External::New(addon, 0)'));
    expect(result.out).toMatch(/✓ better-sqlite3-multiple-ciphers@new-glue/);
    expect(result.status).toBe(0);
  });

  it('compiles syntax only, with deprecations as errors and NODE_MODULE_VERSION from Electron', () => {
    const args = compileArgs({
      source: 'a.cpp',
      headersDir: '/h',
      includeDirs: [],
      defines: [],
      abi: '150',
      imminent: false,
    });
    expect(args).toEqual(
      expect.arrayContaining([
        '-fsyntax-only',
        '-DNODE_EMBEDDER_MODULE_VERSION=150',
        '-DV8_DEPRECATION_WARNINGS',
        '-Werror=deprecated-declarations',
      ]),
    );
  });

  it('has a recipe for every module npm start rebuilds for Electron', async () => {
    const { ELECTRON_REBUILD_MODULES } = await import('../../../scripts/native-modules.mjs');
    expect(Object.keys(RECIPES).sort()).toEqual([...ELECTRON_REBUILD_MODULES].sort());
  });
});
