/**
 * IT's policy file, end to end: a real policy file on disk, loaded by the real core (CoreConfig
 * `policyFile`), shown by the built renderer in Chromium: locked settings carry "Set by your IT
 * department", a bad field is named in a banner and replaced by its safe default, and a locked
 * setting cannot be changed even by calling main directly.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signInAs } from '../support/session';
import { startWorkstation, type Workstation } from './harness';

// The Chromium host names each page's window by the order pages first call main; this test opens one.
const FIRST_PAGE_SENDER = 'chromium-page-1';

let ws: Workstation | undefined;
let policyDir: string | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
  if (policyDir) rmSync(policyDir, { recursive: true, force: true });
  policyDir = undefined;
});

function writePolicy(policy: object): string {
  policyDir = mkdtempSync(path.join(os.tmpdir(), 'vitals-policy-e2e-'));
  const file = path.join(policyDir, 'policy.json');
  writeFileSync(file, JSON.stringify(policy, null, 2));
  return file;
}

async function openSettingsAsAdmin(policyFile: string): Promise<Workstation> {
  const workstation = await startWorkstation({ route: 'settings', core: { policyFile } });
  await workstation.page.getByTestId('workstation').waitFor();
  await signInAs(workstation.core, 'admin', FIRST_PAGE_SENDER);
  await workstation.page.reload();
  await workstation.page.getByRole('heading', { name: 'Workstation settings' }).waitFor();
  return workstation;
}

describe('Settings under an IT policy', () => {
  it('shows locked settings and a banner naming each bad policy field, with safe defaults', async () => {
    const policyFile = writePolicy({
      clinicName: 'Riverside Clinic',
      requireTwoFactor: true,
      idleLockMinutes: 'soon',
      updates: { enabled: true, feedUrl: 'http://updates.riverside.example/vd' },
      allowedDevices: [{ transport: 'ble', driver: 'ble.blood-pressure' }],
    });
    ws = await openSettingsAsAdmin(policyFile);
    const { page } = ws;

    const banner = page.getByRole('alert').filter({ hasText: 'settings file has a problem' });
    await banner.waitFor();
    expect(await banner.getByTestId('policy-problem').allTextContents()).toEqual([
      expect.stringMatching(/^idleLockMinutes .*safe default/),
      expect.stringMatching(/^updates\.feedUrl .*https/),
    ]);
    expect(await banner.textContent()).toContain(policyFile);

    const row = (key: string) => page.getByTestId(`setting-${key}`);
    // Set by IT: shown, locked, with the words next to it.
    expect(await row('clinicName').getAttribute('data-locked')).toBe('true');
    expect(await page.getByLabel('Clinic name').inputValue()).toBe('Riverside Clinic');
    expect(await page.getByLabel('Clinic name').isDisabled()).toBe(true);
    expect(await row('clinicName').textContent()).toContain('Set by your IT department');
    // Bad in the policy: the safe default is the longest an administrator may choose.
    expect(await page.getByLabel('Lock after idle (minutes)').inputValue()).toBe('5');
    expect(await row('idleLockMinutes').textContent()).toContain(
      "At most 5 minutes (your IT department's limit)",
    );
    // An insecure feed switched updates off, locked.
    expect(await page.getByLabel('Automatic updates').isChecked()).toBe(false);
    expect(await page.getByLabel('Automatic updates').isDisabled()).toBe(true);
    // Not in the policy: the user's to choose.
    expect(await row('weightUnit').getAttribute('data-locked')).toBe('false');
    expect(await row('weightUnit').textContent()).not.toContain('Set by your IT department');
    expect(await page.getByTestId('policy-status').textContent()).toContain('An IT policy applies');
    // The health panel is still there, with the clinic name from the policy in the header.
    expect(await page.getByTestId('app-version').textContent()).toBe('0.1.0-e2e');
    expect(await page.getByTestId('workstation').textContent()).toContain('Riverside Clinic');

    await ws.screenshot('settings-policy-locked-and-banner');
  });

  it('saves an unlocked setting, and main refuses a locked one with a clear error', async () => {
    const policyFile = writePolicy({ idleLockMinutes: 3 });
    ws = await openSettingsAsAdmin(policyFile);
    const { page } = ws;
    expect(await page.getByRole('alert').filter({ hasText: 'settings file has a problem' }).count()).toBe(0);

    // A value the contract would refuse is caught on the screen, in words, and nothing is saved.
    const reauth = page.getByLabel('Ask for the second step again after (minutes)');
    await reauth.fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Please correct the marked settings' }).count())
      .toBe(1);
    expect(await page.getByTestId('setting-reauthTwoFactorAfterMinutes').textContent()).toContain(
      'Enter a whole number of minutes from 1 to 60.',
    );
    expect(await reauth.getAttribute('aria-invalid')).toBe('true');
    await reauth.fill('60');

    await page.getByLabel('Weight unit').selectOption('[lb_av]');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Settings saved.' }).count()).toBe(1);
    const stored = JSON.parse(readFileSync(path.join(ws.dataDir, 'settings.json'), 'utf8')) as object;
    expect(stored).toEqual({ weightUnit: '[lb_av]' });

    const refused = await page.evaluate(() =>
      (window as unknown as { vitals: { invoke(c: string, r: unknown): Promise<unknown> } }).vitals.invoke(
        'settings.update',
        { idleLockMinutes: 60 },
      ),
    );
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: expect.stringContaining("at most 3 on this workstation (your IT department's limit)"),
        issues: [{ path: 'idleLockMinutes', message: "At most 3 (your IT department's limit)." }],
      },
    });
    expect(JSON.parse(readFileSync(path.join(ws.dataDir, 'settings.json'), 'utf8'))).toEqual(stored);
  });

  it('without a policy file only what steers patient data is locked, and no banner shows', async () => {
    ws = await openSettingsAsAdmin(path.join(os.tmpdir(), 'no-such-dir-vitals', 'policy.json'));
    const { page } = ws;
    const lockedRows = await page
      .locator('[data-locked="true"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    expect(lockedRows.sort()).toEqual([
      'setting-fhirBaseUrl',
      'setting-requireTwoFactor',
      'setting-updateFeedUrl',
    ]);
    expect(await page.getByRole('alert').filter({ hasText: 'settings file has a problem' }).count()).toBe(0);
    expect(await page.getByTestId('policy-status').textContent()).toContain('No IT policy');
  });
});
