/**
 * Home data across a lock, the way it happens at the desk: the nurse has the patient's CGM export in
 * the preview when she is called away; the screen locks by itself; she comes back, unlocks, and the
 * preview she left is still the one she can import: "Import" stores it, for this patient, once. The
 * core runs on a clock the test moves, so the idle minutes pass at once. The file picker is the core's stand-in (Chromium has no system dialog).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentTotp } from '../../main/auth/totp';
import { manualClock } from '../../main/platform/clock';
import type { Patient } from '../../shared/records';
import { dexcomClarityCsv } from '../sim/home-data/cgm';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { openPatientAtIntake, deskPerTest } from './harness';

const desk = deskPerTest();

describe('a home-data preview and the lock', () => {
  it('is still there to import after the screen locked by itself and she unlocked', async () => {
    const clock = manualClock(new Date());
    const ws = await desk.start({ route: 'intake', signIn: 'nurse', core: { clock, idleSweepMs: 200 } });
    const { page, core } = ws;
    const nurse = ws.account!;
    const setup = (await signInAs(core, 'nurse', 'setup-window')).senderId;
    await call<Patient>(core, setup, 'patients.register', {
      mrn: 'HL-1',
      family: 'Lindqvist',
      given: 'Maja',
      birthDate: '1971-09-30',
      sex: 'female',
    });
    const dir = desk.scratch('vd-home-lock-');
    const file = path.join(dir, 'Clarity_Export_Lindqvist_Maja.csv');
    const start = new Date(clock.now().getTime() - 7 * 86_400_000 - new Date().getTimezoneOffset() * 60_000);
    writeFileSync(file, dexcomClarityCsv({ start, days: 7, seed: 4 }));
    core.attachFilePicker({ pick: () => Promise.resolve(file) });
    await page.reload();
    await openPatientAtIntake(page, 'HL-1', /LINDQVIST, Maja/);

    await page.getByRole('button', { name: 'Import home data…' }).click();
    const dialog = page.getByTestId('home-data-dialog');
    await dialog.getByTestId('home-data-choose').click();
    await dialog.getByTestId('home-data-preview').waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('home-data-counts').textContent()).toMatch(/2,016 read: 2,016 new/);

    // Called away: the screen locks by itself.
    const status = await core.invoke('auth.status', {}, { senderId: setup });
    const idleMinutes = status.ok
      ? (status.value as { policy: { idleLockMinutes: number } }).policy.idleLockMinutes
      : 5;
    clock.advance(idleMinutes * 60_000 + 1_000);
    await page.getByTestId('lock-screen').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(nurse.password);
    await page.getByRole('button', { name: 'Unlock' }).click();
    if (nurse.totpSecret) {
      const code = page.getByLabel('Code from your authenticator app');
      if (await code.isVisible().catch(() => false)) {
        clock.advance(30_000);
        await code.fill(await currentTotp(nurse.totpSecret, clock));
        await page.getByRole('button', { name: /Unlock|Sign in/ }).click();
      }
    }
    await dialog.getByTestId('home-data-preview').waitFor();
    await ws.screenshot('home-data-lock-01-back-after-unlock', { window: true });

    // The preview she left is the one she imports.
    await dialog.getByTestId('home-data-import').click();
    const done = dialog.getByTestId('home-data-done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toMatch(
      /2,016 new values imported from Clarity_Export_Lindqvist_Maja\.csv/,
    );
    await ws.screenshot('home-data-lock-02-imported', { window: true });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Stored for her, once: the same file again adds nothing.
    await page.getByRole('button', { name: 'Import home data…' }).click();
    await dialog.getByTestId('home-data-choose').click();
    await dialog.getByTestId('home-data-preview').waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('home-data-counts').textContent()).toMatch(
      /0 new.*2,016 already imported/,
    );
  });
});
