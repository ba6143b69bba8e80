/**
 * Home data at a shared desk: the nurse has her patient's CGM export in the preview when she is called
 * away and the screen locks; a colleague switches in at the lock screen and imports her own patient's
 * export at the same desk; the first nurse switches back and imports the preview she left — for her
 * patient, with the counts she read. Each patient gets only their own file. The core runs on a clock
 * the test moves (idle minutes pass at once; a phone's next code 30 s later). The file picker is the
 * core's stand-in (Chromium has no system dialog). Screenshots: test-results/home-data-switch-*.png.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../main/platform/clock';
import type { Patient } from '../../shared/records';
import { dexcomClarityCsv } from '../sim/home-data/cgm';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { openPatientAtIntake, deskPerTest } from './harness';
import { switchUserAtLock } from './sign-in';
import { poll } from './review-steps';

const desk = deskPerTest();

describe('a home-data preview at a desk two nurses share', () => {
  it("survives a colleague's import at the same desk and is imported for the right patient", async () => {
    const clock = manualClock(new Date());
    const ws = await desk.start({ route: 'intake', signIn: 'nurse', core: { clock, idleSweepMs: 200 } });
    const { page, core } = ws;
    const nurse = ws.account!;
    const colleague = await signInAs(core, 'nurse', 'colleague-window');
    await core.invoke('auth.signOut', {}, { senderId: 'colleague-window' });
    const setup = (await signInAs(core, 'nurse', 'setup-window')).senderId;
    const register = (mrn: string, family: string, given: string) =>
      call<Patient>(core, setup, 'patients.register', {
        mrn,
        family,
        given,
        birthDate: '1971-09-30',
        sex: 'female',
      });
    const maja = await register('HS-1', 'Lindqvist', 'Maja');
    const lena = await register('HS-2', 'Berg', 'Lena');
    const dir = desk.scratch('vd-home-switch-');
    const start = new Date(clock.now().getTime() - 7 * 86_400_000 - new Date().getTimezoneOffset() * 60_000);
    const majaFile = path.join(dir, 'Clarity_Export_Lindqvist_Maja.csv');
    writeFileSync(majaFile, dexcomClarityCsv({ start, days: 7, seed: 4 }));
    const lenaFile = path.join(dir, 'Clarity_Export_Berg_Lena.csv');
    writeFileSync(lenaFile, dexcomClarityCsv({ start, days: 3, seed: 9 }));
    let picked = majaFile;
    core.attachFilePicker({ pick: () => Promise.resolve(picked) });
    await page.reload();

    // The first nurse reads Maja's export: 2,016 values in the preview.
    await openPatientAtIntake(page, 'HS-1', /LINDQVIST, Maja/);
    await page.getByRole('button', { name: 'Import home data…' }).click();
    const dialog = page.getByTestId('home-data-dialog');
    await dialog.getByTestId('home-data-choose').click();
    await dialog.getByTestId('home-data-preview').waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('home-data-counts').textContent()).toMatch(/2,016 read: 2,016 new/);

    // Called away: the screen locks by itself; her colleague switches in and imports Lena's export here.
    clock.advance(16 * 60_000);
    await page.getByTestId('lock-screen').waitFor();
    await switchUserAtLock(page, clock, colleague);
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    await openPatientAtIntake(page, 'HS-2', /BERG, Lena/);
    picked = lenaFile;
    await page.getByRole('button', { name: 'Import home data…' }).click();
    await dialog.getByTestId('home-data-choose').click();
    await dialog.getByTestId('home-data-preview').waitFor({ timeout: 30_000 });
    await dialog.getByTestId('home-data-import').click();
    await dialog.getByTestId('home-data-done').waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('home-data-done').textContent()).toMatch(/864 new values imported/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await ws.screenshot('home-data-switch-01-colleague-imported', { window: true });

    // The first nurse switches back: her preview of Maja's export is there, and it is what she imports.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByTestId('lock-screen').waitFor();
    await switchUserAtLock(page, clock, nurse);
    await page.getByTestId('patient-banner').getByText('LINDQVIST, Maja').waitFor();
    await dialog.getByTestId('home-data-preview').waitFor();
    await ws.screenshot('home-data-switch-02-her-preview-back', { window: true });
    await dialog.getByTestId('home-data-import').click();
    const done = dialog.getByTestId('home-data-done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toMatch(
      /2,016 new values imported from Clarity_Export_Lindqvist_Maja\.csv/,
    );
    await ws.screenshot('home-data-switch-03-her-import-done', { window: true });

    // Each patient has their own file's values only (asked as her window, signed in and unlocked).
    const reader = 'chromium-page-1';
    const homeCount = async (p: Patient) =>
      (
        await call<{ observations: unknown[] }>(core, reader, 'homeData.forPatient', {
          patientId: p.id,
          from: new Date(clock.now().getTime() - 30 * 86_400_000).toISOString(),
          to: new Date(clock.now().getTime() + 86_400_000).toISOString(),
        })
      ).observations.length;
    await poll(() => homeCount(maja)).toBe(2016);
    expect(await homeCount(lena)).toBe(864);
  });
});
