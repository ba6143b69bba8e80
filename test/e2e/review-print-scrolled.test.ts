/**
 * The clinician during the video visit: she opens the patient the nurse has just seen, scrolls down
 * through the trends while they talk, and prints the summary from the bar that stays in view, without
 * scrolling back up first. The PDF must say whose it is at the top of its first page and on every page
 * (a page that comes loose still names the patient), with nothing laid over the charts and each vital's
 * name whole. The PDF is read back with pdftotext and its pages drawn with pdftoppm into test-results/.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Encounter, Patient } from '../../shared/records';
import { signInAs } from '../support/session';
import { RESULTS_DIR, startWorkstation, type Workstation } from './harness';
import { call, NURSE_WINDOW, poll } from './review-steps';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const pageText = (pdf: string, page: number) =>
  execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), pdf, '-'], {
    encoding: 'utf8',
  });

describe('the printed summary of a patient reviewed scrolled down', () => {
  it('names the patient at the top of page 1 and on every page, over nothing', async () => {
    ws = await startWorkstation({ route: 'review', signIn: 'clinician' });
    const { page, core } = ws;
    // The nurse's morning at her own window: registered, visit started, the vitals typed in.
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const patient = await call<Patient>(core, 'patients.register', {
      mrn: 'PR-7731',
      family: 'Abara',
      given: 'Ngozi',
      birthDate: '1950-02-03',
      sex: 'female',
    });
    const visit = await call<Encounter>(core, 'encounters.start', {
      patientId: patient.id,
      reason: 'Breathless on stairs',
    });
    const now = new Date().toISOString();
    for (const [kind, value] of [
      ['heartRate', 96],
      ['respiratoryRate', 22],
      ['spo2', 93],
      ['bodyTemperature', 37.9],
      ['bodyWeight', 71.4],
    ] as const)
      await call(core, 'observations.record', {
        patientId: patient.id,
        encounterId: visit.id,
        effectiveAt: now,
        method: 'manual',
        kind,
        value,
      });

    await page.reload();
    const row = page.getByTestId('visits-in-progress').getByRole('button', { name: /ABARA, Ngozi/ });
    await row.click();
    await page.getByTestId('review-screen').waitFor();
    await poll(() => page.getByTestId('latest-heartRate-value').textContent()).toBe('96 bpm');
    // Down to the last trends while she talks with the patient; the bar with Print stays in view.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await ws.screenshot('review-print-scrolled-01-scrolled', { window: true });
    await page.getByRole('button', { name: 'Print / save as PDF' }).click();
    const status = page.getByTestId('print-status');
    await poll(() => status.textContent()).toMatch(/^Saved the summary \(\d+ pages\) to /);
    const text = (await status.textContent())!;
    const pages = Number(/\((\d+) pages\)/.exec(text)![1]);
    const pdf = text.replace(/^Saved the summary \(\d+ pages\) to /, '');
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(RESULTS_DIR, 'review-print-scrolled-page')]);

    expect(pages).toBeGreaterThan(1);
    const texts = Array.from({ length: pages }, (_, i) => pageText(pdf, i + 1));
    // Page 1 opens with whose summary it is, before the vitals.
    const first = texts[0]!;
    const banner = first.search(/ABARA, Ngozi\s+76 y · Female · born 1950-02-03 · MRN PR-7731/);
    expect(banner).toBeGreaterThanOrEqual(0);
    expect(banner).toBeLessThan(first.indexOf('Latest vitals'));
    // The banner is printed once, where it belongs, not over a chart further on.
    expect(texts.join('\n').match(/76 y · Female/g)).toHaveLength(1);
    // Every page's footer names the patient, beside who printed it and the page number.
    for (const [i, t] of texts.entries()) {
      expect(t, `page ${i + 1}`).toContain('ABARA, Ngozi · born 1950-02-03 · MRN PR-7731');
      expect(t, `page ${i + 1}`).toMatch(new RegExp(`Page ${i + 1} of ${pages}`));
    }
    // Each vital's name whole: "Consciousness" is not broken inside the word.
    expect(first).toMatch(/Consciousness/);
  });
});
