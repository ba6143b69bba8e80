/**
 * How `npm run dist` and the other scripts start npm and vitest on each OS. Windows cannot be run
 * here, so its command construction is checked as data; what can run here (npm through its own
 * CLI script, vitest through its own) is run with no PATH at all, which is what Windows lacks for
 * `npm`/`npx` without a shell.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmCommand } from '../../../scripts/npm-command.mjs';

const root = path.resolve(import.meta.dirname, '../../..');
const NPM_CLI_WIN = 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js';
const NODE_WIN = 'C:\\Program Files\\nodejs\\node.exe';
// npm's CLI script as `npm run` reports it, or where Node's installers put it beside node.
const npmCli =
  process.env.npm_execpath && /npm-cli\.c?js$/.test(process.env.npm_execpath)
    ? process.env.npm_execpath
    : path.join(path.dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js');

describe('npm command construction', () => {
  it('on Windows under `npm run`, runs npm-cli.js with node.exe: no shell, no PATH lookup of npm', () => {
    const cmd = npmCommand(['run', 'build'], {
      platform: 'win32',
      execPath: NODE_WIN,
      env: { npm_execpath: NPM_CLI_WIN },
    });
    expect(cmd).toEqual({ command: NODE_WIN, args: [NPM_CLI_WIN, 'run', 'build'], options: {} });
  });

  it('on Windows started directly with node, runs npm.cmd through a shell (spawn cannot start a .cmd)', () => {
    const cmd = npmCommand(['run', 'build'], { platform: 'win32', execPath: NODE_WIN, env: {} });
    expect(cmd.command).toBe('npm.cmd');
    expect(cmd.args).toEqual(['run', 'build']);
    expect(cmd.options).toEqual({ shell: true });
  });

  it('does not run a pnpm or yarn npm_execpath with node as if it were npm', () => {
    const cmd = npmCommand(['run', 'build'], {
      platform: 'win32',
      execPath: NODE_WIN,
      env: { npm_execpath: 'C:\\Users\\a\\AppData\\Roaming\\npm\\node_modules\\pnpm\\bin\\pnpm.cjs' },
    });
    expect(cmd.command).toBe('npm.cmd');
  });

  it('on macOS and Linux without npm_execpath, runs npm from PATH without a shell', () => {
    for (const platform of ['darwin', 'linux']) {
      expect(npmCommand(['run', 'build'], { platform, execPath: '/usr/bin/node', env: {} })).toEqual({
        command: 'npm',
        args: ['run', 'build'],
        options: {},
      });
    }
  });

  it.skipIf(!existsSync(npmCli))('the npm-cli.js form really runs npm with an empty PATH', () => {
    const cmd = npmCommand(['--version'], {
      platform: process.platform,
      execPath: process.execPath,
      env: { npm_execpath: npmCli },
    });
    const result = spawnSync(cmd.command, cmd.args, { env: { PATH: '' }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('scripts/run-tests.mjs', () => {
  it('starts vitest with this Node, not through npx: it runs with an empty PATH', () => {
    const result = spawnSync(process.execPath, [path.join(root, 'scripts/run-tests.mjs'), '--help'], {
      cwd: root,
      env: { PATH: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.stdout).toMatch(/vitest\/\d+\.\d+/);
    expect(result.status).toBe(0);
  });
});
