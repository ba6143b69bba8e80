/**
 * One workstation for an end-to-end test: a fresh data directory, the real core from the factory,
 * and the built renderer in Chromium behind the bridge. Screenshots go to test-results/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach } from 'vitest';
import type { Core, CoreConfig } from '../../main/core';
import { createDevelopmentCore } from '../../scripts/development-core';
import { TEST_PASSWORD_HASHING } from '../support/core';
import { launchChromiumHost, type ChromiumHost } from '../../scripts/chromium-host';
import type { Role } from '../../shared/ipc/contract';
import { signInPage, type PageAccount } from './sign-in';

export interface Workstation {
  core: Core;
  host: ChromiumHost;
  page: Page;
  dataDir: string;
  /** The account the page signed in with, unless `signIn: false`. */
  account: PageAccount | null;
  /** The whole page by default; `window: true` takes only what a 1366×768 (or given) window shows. */
  screenshot(name: string, options?: { window?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export const RESULTS_DIR = path.resolve('test-results');

/**
 * Finds a patient at the intake desk by MRN (or name), picks the one listed as `listed`, and waits for the chart.
 * With `keyboard`, she never leaves the keyboard: once the patient is listed, Enter opens the first match (so
 * `search` should list only her).
 */
export async function openPatientAtIntake(
  page: Page,
  search: string,
  listed: RegExp,
  options: { keyboard?: boolean } = {},
): Promise<void> {
  await page.getByLabel('MRN, name or birth date (YYYY-MM-DD)').fill(search);
  const option = page.getByRole('option', { name: listed });
  if (options.keyboard) {
    await option.waitFor();
    await page.keyboard.press('Enter');
  } else {
    await option.click();
  }
  await page.getByTestId('patient-banner').waitFor();
}

/**
 * A workstation and scratch folders for each test of a file, closed and removed after each test: called
 * once at the top of the file, then `desk.start(...)` and `desk.scratch(prefix)` inside the tests.
 */
export function deskPerTest(): {
  start: typeof startWorkstation;
  scratch(prefix: string): string;
} {
  let ws: Workstation | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    start: async (options) => (ws = await startWorkstation(options)),
    scratch: (prefix) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
  };
}

export async function startWorkstation(
  options: {
    route?: string;
    viewport?: { width: number; height: number };
    dataDir?: string;
    keepDataDir?: boolean;
    core?: Partial<CoreConfig>;
    /** Sign the page in through the sign-in screens as a new account of this role (default clinician); false stays signed out. */
    signIn?: Role | false;
  } = {},
): Promise<Workstation> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'vitals-e2e-'));
  const core = await createDevelopmentCore({
    dataDir,
    appVersion: '0.1.0-e2e',
    heartbeatMs: 0,
    passwordHashing: TEST_PASSWORD_HASHING,
    ...options.core,
  });
  const host = await launchChromiumHost({
    core,
    viewport: options.viewport ?? { width: 1366, height: 768 },
    // "Print / save as PDF" writes into the data directory; a visit's video link gets a local stand-in page.
    pdfDir: path.join(dataDir, 'summaries'),
    offlineExternalLinks: true,
  });
  const page = await host.openPage(options.route);
  const role = options.signIn ?? 'clinician';
  const account = role ? await signInPage(page, core, role) : null;
  mkdirSync(RESULTS_DIR, { recursive: true });
  return {
    core,
    host,
    page,
    dataDir,
    account,
    async screenshot(name, shot) {
      const file = path.join(RESULTS_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: !shot?.window });
      return file;
    },
    async close() {
      await host.close();
      await core.close();
      if (!options.keepDataDir && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
