/**
 * The nurse's keyboard habits while a patient's home data is in the import dialog: Alt+P (next
 * patient), Alt+2 (Devices) and Alt+5 (a vital's field) are the keys she presses all day. Behind the
 * dialog they must do nothing: the preview stays, for the same patient, with the keyboard on it (Tab
 * reaches "Import"), until she imports or closes it — then they work again. The file picker is the core's stand-in (Chromium has no system dialog).
 * Screenshots: test-results/home-data-shortcuts-*.png.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dexcomClarityCsv } from '../sim/home-data/cgm';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { openPatientAtIntake, deskPerTest } from './harness';
import { poll } from './review-steps';

const desk = deskPerTest();

describe('shortcuts behind the home-data import', () => {
  it('do nothing while it is open, and work again once it is closed', async () => {
    const ws = await desk.start({ route: 'intake', signIn: 'nurse' });
    const { page, core } = ws;
    const setup = (await signInAs(core, 'nurse', 'setup-window')).senderId;
    await call(core, setup, 'patients.register', {
      mrn: 'HK-1',
      family: 'Lindqvist',
      given: 'Maja',
      birthDate: '1971-09-30',
      sex: 'female',
    });
    const dir = desk.scratch('vd-home-keys-');
    const file = path.join(dir, 'Clarity_Export_Lindqvist_Maja.csv');
    const start = new Date(Date.now() - 7 * 86_400_000 - new Date().getTimezoneOffset() * 60_000);
    writeFileSync(file, dexcomClarityCsv({ start, days: 7, seed: 4 }));
    core.attachFilePicker({ pick: () => Promise.resolve(file) });
    await page.reload();
    await openPatientAtIntake(page, 'HK-1', /LINDQVIST, Maja/);
    const banner = page.getByTestId('patient-banner');

    await page.getByRole('button', { name: 'Import home data…' }).click();
    const dialog = page.getByTestId('home-data-dialog');
    await dialog.getByTestId('home-data-choose').click();
    await dialog.getByTestId('home-data-preview').waitFor({ timeout: 30_000 });

    // Habit: the keys of the next patient, of Devices, of a vital's field.
    for (const key of ['Alt+P', 'Alt+2', 'Alt+5']) {
      await page.keyboard.press(key);
      // Give a shortcut the time it would take to act.
      await page.waitForTimeout(300);
      expect(await dialog.getByTestId('home-data-preview').isVisible(), key).toBe(true);
      expect(await banner.textContent(), key).toContain('LINDQVIST, Maja');
      expect(await page.evaluate(() => window.location.hash), key).toBe('#/intake');
      // The keyboard is on the preview, in the dialog (not left on the page behind it).
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), key).toBe(
        'home-data-preview',
      );
    }
    await ws.screenshot('home-data-shortcuts-01-still-previewing', { window: true });

    // From the keyboard: Tab to "Import" (the preview is read first; Enter alone imports nothing).
    await page.keyboard.press('Enter');
    expect(await dialog.getByTestId('home-data-done').count()).toBe(0);
    for (let i = 0; i < 5; i++) {
      const name = await page.evaluate(() => document.activeElement?.textContent ?? '');
      if (/^Import 2,016 into this patient$/.test(name)) break;
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Import 2,016 into this patient',
    );
    await page.keyboard.press('Enter');
    await dialog.getByTestId('home-data-done').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'home-data-done',
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Closed: the same keys work again.
    await page.keyboard.press('Alt+5');
    await poll(() =>
      page.evaluate(() => document.activeElement?.closest('.vital-card')?.getAttribute('data-testid')),
    ).toBe('vital-heartRate');
    await page.keyboard.press('Alt+P');
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    await ws.screenshot('home-data-shortcuts-02-next-patient', { window: true });
  });
});
