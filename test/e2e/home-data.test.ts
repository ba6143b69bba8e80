/**
 * Home data the way a shift goes: the nurse opens a patient, imports the patient's CGM export (a
 * Dexcom Clarity CSV), reads the preview, imports it, imports the same file again by mistake (nothing
 * new is added), and moves on to the next patient, whose Apple Health export names another birth date and
 * sex (the nurse must confirm before it imports); the clinician's review then shows the home values
 * beside the clinic's, drawn dashed, with their source, and the printed summary says they came from home.
 *
 * There is no system file dialog in Chromium: the core's file picker is a stand-in that returns the
 * sample file this test generated (in Electron it is the open-file dialog, main/app/home-file-picker.ts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/records';
import { dexcomClarityCsv } from '../sim/home-data/cgm';
import { writeAppleHealthZip } from '../sim/home-data/apple-health';
import { signInAs } from '../support/session';
import { RESULTS_DIR, deskPerTest, type Workstation } from './harness';
import { call, NURSE_WINDOW, pixelsOf, poll } from './review-steps';
import { signInPage } from './sign-in';

const desk = deskPerTest();

async function openPatient(page: Workstation['page'], search: string): Promise<void> {
  await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
  await page.getByLabel('MRN, name or birth date (YYYY-MM-DD)').fill(search);
  await page.getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('patient-banner').waitFor();
}

describe('home data at intake and in review', () => {
  it('imports a CGM export once, adds nothing on a second import, and shows it in review as home data', async () => {
    const ws = await desk.start({ route: 'intake', signIn: 'nurse' });
    const { core, page } = ws;
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const maja = await call<Patient>(core, 'patients.register', {
      mrn: 'HD-4401',
      family: 'Lindqvist',
      given: 'Maja',
      birthDate: '1971-09-30',
      sex: 'female',
    });
    const kwame = await call<Patient>(core, 'patients.register', {
      mrn: 'HD-4402',
      family: 'Osei',
      given: 'Kwame',
      birthDate: '1949-01-12',
      sex: 'male',
    });
    // A week of 5-minute readings ending about now, in local wall-clock time as Clarity writes it.
    const dir = desk.scratch('vd-home-e2e-');
    const start = new Date(Date.now() - 7 * 86_400_000 - new Date().getTimezoneOffset() * 60_000);
    const file = path.join(dir, 'Clarity_Export_Lindqvist_Maja.csv');
    writeFileSync(file, dexcomClarityCsv({ start, days: 7, seed: 4 }));
    core.attachFilePicker({ pick: () => Promise.resolve(file) });

    await page.reload();
    await openPatient(page, 'lindqvist');
    await page.getByRole('button', { name: 'Import home data…' }).click();
    const dialog = page.getByTestId('home-data-dialog');
    await dialog.getByText('Where do these files come from?').click();
    expect(await dialog.textContent()).toMatch(/Export All\s+Health Data/);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'home-data-choose.png') });
    await dialog.getByTestId('home-data-choose').click();
    const preview = dialog.getByTestId('home-data-preview');
    await preview.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('home-data-format').textContent()).toBe('Dexcom Clarity CSV');
    expect(await dialog.getByTestId('home-data-counts').textContent()).toMatch(/2,016 read: 2,016 new/);
    expect(await dialog.getByTestId('home-data-samples').textContent()).toMatch(/Glucose.*mg\/dL/);
    expect(await preview.textContent()).toMatch(/Dexcom/);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'home-data-preview.png') });

    await dialog.getByTestId('home-data-import').click();
    const done = dialog.getByTestId('home-data-done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toMatch(
      /2,016 new values imported from Clarity_Export_Lindqvist_Maja\.csv/,
    );

    // The same file again, as happens when a nurse is unsure it went in: nothing is added twice.
    await dialog.getByRole('button', { name: 'Import another file' }).click();
    await dialog.getByTestId('home-data-choose').click();
    await preview.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('home-data-counts').textContent()).toMatch(
      /0 new.*2,016 already imported/,
    );
    await dialog.getByTestId('home-data-import').click();
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toMatch(/0 new values imported.*2,016 were already here/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Home values never reach the clinic's NEWS2: no clinic vitals, no score.
    expect(await page.getByTestId('news2-aggregate').count()).toBe(0);

    // The next patient: no home data of Maja's follows her.
    await page.getByRole('button', { name: /Change patient/ }).click();
    await openPatient(page, 'osei');
    expect(await page.getByTestId('patient-banner').textContent()).toContain('HD-4402');
    const kwameHome = await call<{ observations: unknown[] }>(core, 'homeData.forPatient', {
      patientId: kwame.id,
      from: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      to: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(kwameHome.observations).toHaveLength(0);

    // Kwame brings his phone's Apple Health export, but it is his wife's: born 1961, female. The nurse is
    // warned and cannot import until she has checked with him; here she has, and imports.
    const zip = path.join(dir, 'export.zip');
    await writeAppleHealthZip(zip, path.join(dir, 'export.xml'), { records: 1500, birthDate: '1961-04-12' });
    core.attachFilePicker({ pick: () => Promise.resolve(zip) });
    await page.getByRole('button', { name: 'Import home data…' }).click();
    await dialog.getByTestId('home-data-choose').click();
    await preview.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('home-data-format').textContent()).toBe('Apple Health export');
    const warning = dialog.getByTestId('home-data-subject');
    expect(await warning.textContent()).toMatch(/different name, birth date and sex \(1961-04-12, female\)/);
    expect(await dialog.getByTestId('home-data-import').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'home-data-subject-warning.png') });
    await warning.getByLabel(/I checked with the patient/).check();
    await dialog.getByTestId('home-data-import').click();
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toMatch(/new values imported from export\.zip/);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The clinician, at her own window, opens Maja's visit in review.
    await call(core, 'encounters.start', { patientId: maja.id, reason: 'Diabetes follow-up' });
    const review = await ws.host.openPage('review');
    await signInPage(review, core, 'clinician');
    await review.reload();
    await review
      .getByTestId('visits-in-progress')
      .getByRole('button', { name: /LINDQVIST, Maja/ })
      .click();
    await review.getByTestId('review-screen').waitFor();
    const glucose = review.getByTestId('trend-glucose');
    await poll(() => glucose.getAttribute('data-home-points')).toBe('2016');
    // Glucose was not measured at the clinic: its row names her newest own value, apart and unflagged.
    const ownGlucose = review.getByTestId('latest-glucose-home');
    expect(await ownGlucose.textContent()).toMatch(
      /^At home: (< |> )?\d+ mg\/dL, .+ · Dexcom Clarity.* \(patient’s own\)$/,
    );
    expect(await review.getByTestId('latest-glucose-value').textContent()).toMatch(/^Not taken/);
    expect(await review.getByTestId('latest-glucose-flag').count()).toBe(0);
    await ownGlucose.scrollIntoViewIfNeeded();
    await review.screenshot({ path: path.join(RESULTS_DIR, 'home-data-review-latest.png') });
    const sources = review.getByTestId('home-sources');
    expect(await sources.textContent()).toMatch(/Home data \(patient-generated.*2016 values of glucose/);
    expect(await sources.textContent()).toMatch(/Sources: Dexcom Clarity.*\(2016 values\)/);
    expect(await review.locator('.trend-legend').textContent()).toMatch(/Home \(patient’s own\)/);
    // Drawn in the home colour (dashed teal), not as clinic values.
    await poll(() => pixelsOf(review, 'trend-glucose', [0x0f, 0x76, 0x6e])).toBeGreaterThan(50);
    await review.setViewportSize({ width: 1366, height: 768 });
    await review.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '7 days' }).click();
    await review.locator('.trend-legend').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await review.screenshot({ path: path.join(RESULTS_DIR, 'home-data-review-sources.png') });
    await glucose.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await review.screenshot({ path: path.join(RESULTS_DIR, 'home-data-review.png') });
    await review.emulateMedia({ media: 'print' });
    expect(await sources.isVisible()).toBe(true);
    await review.screenshot({ path: path.join(RESULTS_DIR, 'home-data-review-print.png'), fullPage: true });
  });
});
