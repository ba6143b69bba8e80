/**
 * The clinician during the video visit writes her review note as they talk, then reaches for the next
 * patient (Alt+P, or the banner's button) before pressing "Mark as reviewed". The note is not lost
 * without a question: staying keeps it with the keyboard back in it, and signing off saves it; once it
 * is saved (or empty) changing patient does not ask. Screenshots: test-results/review-note-*.png.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Encounter, Patient } from '../../shared/records';
import { signInAs } from '../support/session';
import { startWorkstation, type Workstation } from './harness';
import { call, NURSE_WINDOW, poll } from './review-steps';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('a review note not yet signed off', () => {
  it('is asked about before changing patient, kept on staying, and saved with the sign-off', async () => {
    ws = await startWorkstation({ route: 'review', signIn: 'clinician' });
    const { page, core } = ws;
    // The nurse's part at her own window: the patient, the visit, a heart rate typed in.
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const patient = await call<Patient>(core, 'patients.register', {
      mrn: 'RN-5120',
      family: 'Castro',
      given: 'Ines',
      birthDate: '1990-06-15',
      sex: 'female',
    });
    const visit = await call<Encounter>(core, 'encounters.start', { patientId: patient.id, reason: 'Fever' });
    await call(core, 'observations.record', {
      patientId: patient.id,
      encounterId: visit.id,
      effectiveAt: new Date().toISOString(),
      method: 'manual',
      kind: 'heartRate',
      value: 104,
    });

    await page.reload();
    await page
      .getByTestId('visits-in-progress')
      .getByRole('button', { name: /CASTRO, Ines/ })
      .click();
    await page.getByTestId('review-screen').waitFor();
    const note = page.getByLabel('Review note (optional)');
    await note.fill('Febrile, tachycardic; paracetamol, review in 48 h.');
    // Habit: the next patient's key, with the note half a thought from done.
    await page.keyboard.press('Alt+P');
    const ask = page.getByTestId('review-change-patient-dialog');
    await ask.waitFor();
    expect(await ask.textContent()).toContain(
      'Your review note for CASTRO, Ines is not saved: “Febrile, tachycardic; paracetamol, review in 48 h.” Changing patient loses it.',
    );
    await ws.screenshot('review-note-01-asks', { window: true });
    await page.keyboard.press('Escape');
    await poll(() => ask.count()).toBe(0);
    expect(await page.getByTestId('patient-banner').textContent()).toContain('CASTRO, Ines');
    expect(await note.inputValue()).toBe('Febrile, tachycardic; paracetamol, review in 48 h.');
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('review-comment');

    // Signed off with the note; then the next patient without a question.
    await page.getByRole('button', { name: 'Mark as reviewed' }).click();
    await page.getByTestId('review-entry').waitFor();
    expect(await page.getByTestId('review-entry').textContent()).toContain('paracetamol, review in 48 h.');
    await page.keyboard.press('Alt+P');
    await page.getByTestId('visits-in-progress').waitFor();
    expect(await ask.count()).toBe(0);

    // And "Change patient without saving" does what it says.
    await page
      .getByTestId('visits-in-progress')
      .getByRole('button', { name: /CASTRO, Ines/ })
      .click();
    await page.getByTestId('review-screen').waitFor();
    await page.getByLabel('Review note (optional)').fill('Second thought, not kept');
    await page.getByRole('button', { name: /Change patient/ }).click();
    await ask.getByRole('button', { name: 'Change patient without saving' }).click();
    await page.getByTestId('visits-in-progress').waitFor();
    await ws.screenshot('review-note-02-list', { window: true });
  });
});
