/**
 * Watch ECGs at intake and in review: a patient with palpitations brings her Apple Health export, which
 * holds three ECGs the watch classified (sinus rhythm, atrial fibrillation with symptoms, a poor
 * recording). The nurse sees them counted per classification in the preview and imports; the clinician
 * sees them listed in review, the atrial-fibrillation one marked as the watch's reading reported by the
 * patient, not a clinic diagnosis. The file dialog is the core's stand-in picker (no system dialog here).
 */
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/records';
import { writeAppleHealthZip } from '../sim/home-data/apple-health';
import { signInAs } from '../support/session';
import { RESULTS_DIR, openPatientAtIntake, deskPerTest } from './harness';
import { call, NURSE_WINDOW, poll } from './review-steps';
import { signInPage } from './sign-in';

const desk = deskPerTest();

describe('watch ECGs from an Apple Health export', () => {
  it('are counted per classification in the preview, imported, and listed in review as the patient’s own', async () => {
    const ws = await desk.start({ route: 'intake', signIn: 'nurse' });
    const { core, page } = ws;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const ines = await call<Patient>(core, 'patients.register', {
      mrn: 'ECG-5101',
      family: 'Carvalho',
      given: 'Inês',
      birthDate: '1961-04-12',
      sex: 'female',
    });
    const dir = desk.scratch('vd-ecg-e2e-');
    const zip = path.join(dir, 'export.zip');
    await writeAppleHealthZip(zip, path.join(dir, 'export.xml'), {
      records: 400,
      birthDate: '1961-04-12',
      ecgs: [
        { recorded: '2026-11-20 07:45:10 +0000' },
        {
          recorded: '2026-11-24 22:13:40 +0000',
          classification: 'Atrial Fibrillation',
          symptoms: 'Heart palpitations, Shortness of breath',
        },
        { recorded: '2026-11-27 12:30:00 +0000', classification: 'Poor Recording' },
      ].map((e) => ({ ...e, birthDate: 'Apr 12, 1961', name: 'Ines Carvalho' })),
    });
    core.attachFilePicker({ pick: () => Promise.resolve(zip) });

    await page.reload();
    await openPatientAtIntake(page, 'ECG-5101', /CARVALHO, Inês/, { keyboard: true });
    await page.getByRole('button', { name: 'Import home data…' }).click();
    const dialog = page.getByTestId('home-data-dialog');
    await dialog.getByTestId('home-data-choose').click();
    await dialog.getByTestId('home-data-preview').waitFor({ timeout: 30_000 });
    const ecgs = dialog.getByTestId('home-data-ecgs');
    expect(await ecgs.textContent()).toBe(
      '3 (3 new): 1 Sinus rhythm, 1 Atrial fibrillation, 1 Inconclusive: poor recording',
    );
    expect(await dialog.textContent()).toMatch(/The watch’s own classification, reported by the patient/);
    // The birth date the ECG files print matches the chart: nothing to confirm.
    expect(await dialog.getByTestId('home-data-subject').count()).toBe(0);
    await ecgs.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS_DIR, 'home-ecg-preview.png') });
    await dialog.getByTestId('home-data-import').click();
    await dialog.getByTestId('home-data-done').waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();

    await call(core, 'encounters.start', { patientId: ines.id, reason: 'Palpitations' });
    const review = await ws.host.openPage('review');
    await review.setViewportSize({ width: 1366, height: 768 });
    await signInPage(review, core, 'clinician');
    await review.reload();
    await review
      .getByTestId('visits-in-progress')
      .getByRole('button', { name: /CARVALHO, Inês/ })
      .click();
    const list = review.getByTestId('review-ecgs');
    await list.waitFor({ timeout: 15_000 });
    const rows = list.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    // Newest first; the atrial-fibrillation reading says whose reading it is.
    expect(await rows.nth(0).textContent()).toMatch(/Inconclusive: poor recording/);
    expect(await rows.nth(1).textContent()).toMatch(
      /Atrial fibrillation — patient-reported, not a clinic diagnosis.*Heart palpitations, Shortness of breath.*Apple Watch \(Watch7,3\), ECG app 2/,
    );
    expect(await rows.nth(2).textContent()).toMatch(/Sinus rhythm.*None recorded/);
    await list.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await review.screenshot({ path: path.join(RESULTS_DIR, 'home-ecg-review.png') });

    // The clinician opens the atrial-fibrillation ECG from the keyboard and sees it as a paper strip.
    const show = rows.nth(1).getByRole('button', { name: /Show the strip of the ECG of/ });
    await show.focus();
    await review.keyboard.press('Enter');
    const strip = review.getByRole('dialog', { name: /Watch ECG/ });
    await strip
      .getByTestId('ecg-strip-paper')
      .waitFor({ timeout: 15_000 })
      .catch(async (e: unknown) => {
        await review.screenshot({ path: path.join(RESULTS_DIR, 'home-ecg-strip-failed.png') });
        throw e;
      });
    expect(await strip.getByTestId('ecg-strip-home').textContent()).toMatch(
      /Patient’s own watch recording .* not a clinic ECG/,
    );
    expect((await strip.getByTestId('ecg-strip-facts').textContent())!.replace(/\s+/g, ' ')).toMatch(
      /Watch classificationAtrial fibrillation.*LeadLead I.*Sample rate512 Hz.*Paper25 mm\/s · 10 mm\/mV.*Length30 s.*SymptomsHeart palpitations, Shortness of breath/,
    );
    // The whole 30 s in three rows of 10 s, each with its time scale, every sample drawn.
    const paperRows = strip.getByTestId('ecg-strip-row');
    expect(await paperRows.count()).toBe(3);
    expect(await paperRows.nth(1).locator('text').first().textContent()).toBe('10 s');
    expect(await paperRows.nth(2).locator('text').nth(10).textContent()).toBe('30 s');
    const drawn = await paperRows
      .locator('polyline.ecg-trace')
      .evaluateAll((lines) => lines.map((l) => (l as SVGPolylineElement).points.numberOfItems));
    // Each row: its 5120 samples, then the 6-point calibration pulse.
    expect(drawn).toEqual([5120, 6, 5120, 6, 5120, 6]);
    // Drawn to scale: a 10 s row is 250 mm wide and the 1 mV pulse 10 mm high, in the same units.
    const scale = await paperRows.first().evaluate((row) => {
      const paper = row.querySelector('rect')!.getBoundingClientRect();
      const pulse = row.querySelectorAll('polyline')[1]!.getBoundingClientRect();
      return { across: paper.width / 250, up: pulse.height / 10 };
    });
    expect(scale.across).toBeGreaterThan(3); // at least 3 px per mm at 1366 px wide
    expect(scale.up).toBeCloseTo(scale.across, 1);
    const axe = await new AxeBuilder({ page: review }).include('dialog').analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => v.id)).toEqual([]);
    await review.screenshot({ path: path.join(RESULTS_DIR, 'home-ecg-strip.png') });
    // Escape closes it and the keyboard is back on the button that opened it.
    await review.keyboard.press('Escape');
    await strip.waitFor({ state: 'detached' });
    expect(await show.evaluate((b) => b === document.activeElement)).toBe(true);

    // The printed summary lists them under the home data, marked as from home; the strip button is not printed.
    await review.getByRole('button', { name: 'Print / save as PDF' }).click();
    const status = review.getByTestId('print-status');
    await poll(() => status.textContent()).toMatch(/^Saved the summary \(\d+ pages\) to /);
    const savedTo = (await status.textContent())!.replace(/^Saved the summary \(\d+ pages\) to /, '');
    copyFileSync(savedTo, path.join(RESULTS_DIR, 'home-ecg-summary.pdf'));
    const text = execFileSync('pdftotext', [savedTo, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const home = text.indexOf('Home (patient');
    const ecgHeading = text.indexOf('Watch ECGs (patient’s own, from home)');
    expect(home).toBeGreaterThanOrEqual(0);
    expect(ecgHeading).toBeGreaterThan(home);
    const printed = text.slice(ecgHeading);
    const when = (iso: string) =>
      new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }).replace(/\s+/g, ' ');
    for (const [iso, words] of [
      ['2026-11-27T12:30:00Z', 'Inconclusive: poor recording'],
      ['2026-11-24T22:13:40Z', 'Atrial fibrillation — patient'],
      ['2026-11-20T07:45:10Z', 'Sinus rhythm'],
    ] as const) {
      expect(printed).toContain(`${when(iso)} ${words}`);
    }
    expect(printed).toContain('Apple Watch (Watch7,3), ECG app 2');
    expect(printed).toContain(
      'The watch’s own classification, reported by the patient — not a clinic diagnosis.',
    );
    expect(printed).not.toContain('Show strip');
  });
});
