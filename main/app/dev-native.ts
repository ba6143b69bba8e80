/**
 * Development only (`npm start`): loads the Electron builds of V8/NAN native modules that
 * scripts/start-electron.mjs keeps under node_modules/.cache, in place of the Node builds that
 * `npm install` put in node_modules (which the tests and the Chromium host use). The map comes from
 * VITALS_ELECTRON_NATIVE_MAP. An installed copy never reads it: an environment variable must not be
 * able to load an arbitrary native file into the signed app, past its fuses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const NATIVE_MAP_ENV = 'VITALS_ELECTRON_NATIVE_MAP';

const nodeFile = z
  .string()
  .refine((p) => path.isAbsolute(p) && p.endsWith('.node'), 'an absolute path to a .node file');
const NativeMap = z.record(nodeFile, nodeFile);

type Dlopen = (module: object, filename: string, flags?: number) => void;

export type NativeRedirect =
  { kind: 'packaged' } | { kind: 'none' } | { kind: 'redirected'; modules: number };

/** Redirects process.dlopen of each mapped file to its Electron build; does nothing in an installed copy. */
export function redirectNativeModules(options: {
  isPackaged: boolean;
  env: NodeJS.ProcessEnv;
  target: { dlopen: Dlopen };
  readFile?: (file: string) => string;
}): NativeRedirect {
  if (options.isPackaged) return { kind: 'packaged' };
  const mapFile = options.env[NATIVE_MAP_ENV];
  if (!mapFile) return { kind: 'none' };
  const text = (options.readFile ?? ((f) => readFileSync(f, 'utf8')))(mapFile);
  const parsed = NativeMap.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`${NATIVE_MAP_ENV} (${mapFile}) is not a map of .node paths: run \`npm start\` again.`);
  }
  const map = new Map(Object.entries(parsed.data).map(([from, to]) => [path.resolve(from), to]));
  const original = options.target.dlopen.bind(options.target);
  options.target.dlopen = (module, filename, flags) => {
    const file = map.get(path.resolve(filename)) ?? filename;
    // dlopen refuses an explicit `undefined` for its flags.
    if (flags === undefined) original(module, file);
    else original(module, file, flags);
  };
  return { kind: 'redirected', modules: map.size };
}
