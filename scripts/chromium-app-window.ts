/**
 * The Chromium host's visible window as an application window: Chromium started with `--app` (no
 * address bar, no tabs), driven over its DevTools endpoint so the host can serve the app into it, and
 * with reload keys switched off (a reload would drop the nurse's unsaved work; navigation away is
 * refused by the host's routes). Without a display, a sentence saying how to run it instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Why a visible window cannot open here, in words; undefined when it can (or when we cannot tell). Pure. */
export function missingDisplayMessage(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
): string | undefined {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return [
    'Vitals Desk cannot open its window: this session has no display (neither DISPLAY nor WAYLAND_DISPLAY',
    'is set, as over SSH or in a container). Either:',
    '',
    '  - run it on a virtual display:   xvfb-run -a npm run start:chromium',
    '  - or without a window at all:    HEADLESS=1 npm run start:chromium',
    '    (the app and its devices run; nothing is shown)',
  ].join('\n');
}

/** Runs in the page: F5, Ctrl/Cmd+R and their Shift forms do nothing (the window has no reload button either). */
export const BLOCK_RELOAD_KEYS = `addEventListener('keydown', (event) => {
  const key = event.key.toLowerCase();
  if (key === 'f5' || ((event.ctrlKey || event.metaKey) && key === 'r')) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, { capture: true });`;

export interface AppWindowBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Starts Chromium with one `--app` window on `url` and connects to it. */
export async function launchAppWindow(options: {
  executablePath: string;
  url: string;
  args: readonly string[];
}): Promise<AppWindowBrowser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'vitals-chromium-'));
  const child: ChildProcess = spawn(
    options.executablePath,
    [
      ...options.args,
      `--user-data-dir=${profile}`,
      // As Playwright launches it by default (its chromiumSandbox option is off), so both hosts match.
      '--no-sandbox',
      '--remote-debugging-port=0',
      '--remote-debugging-address=127.0.0.1',
      `--app=${options.url}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${seen.slice(-400)}`)), 30_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      seen += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code ?? 'signal'}): ${seen.slice(-400)}`));
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
