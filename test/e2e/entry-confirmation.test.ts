/**
 * Second confirmations at the intake desk, end to end in Chromium against the real core: a rare value
 * typed with Enter is not saved until the nurse deliberately confirms it, and a weight that jumps from the
 * patient's last one offers the unit that explains it. Keyboard only, as a nurse at speed works.
 */
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import type { Observation, Patient } from '../../shared/records';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { RESULTS_DIR, openPatientAtIntake, startWorkstation, type Workstation } from './harness';

const FIRST_PAGE_SENDER = 'chromium-page-1';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

async function openPatient(mrn: string, family: string) {
  ws = await startWorkstation({ route: 'intake' });
  await ws.page.getByTestId('workstation').waitFor();
  const nurse = await signInAs(ws.core, 'nurse', FIRST_PAGE_SENDER);
  const patient = await call<Patient>(ws.core, nurse.senderId, 'patients.register', {
    mrn,
    family,
    given: 'Adaeze',
    birthDate: '1961-02-28',
    sex: 'female',
  });
  return { page: ws.page, core: ws.core, nurse, patient };
}

async function choosePatient(page: Workstation['page'], mrn: string) {
  await page.reload();
  await openPatientAtIntake(page, mrn, new RegExp(`MRN ${mrn}$`), { keyboard: true });
}

// What the nurse sees at 1366×768 (the harness's full-page shot would stretch the page behind the dialog).
const viewportShot = (name: string) => ws!.page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`) });
const focusedText = (page: Workstation['page']) => page.evaluate(() => document.activeElement?.textContent);
const focusedId = (page: Workstation['page']) => page.evaluate(() => document.activeElement?.id);

describe('Second confirmation of a typed value', () => {
  it('respiratory rate 2 + Enter asks instead of saving; Enter and Escape go back; only the Save button saves', async () => {
    const { page, core, nurse, patient } = await openPatient('RR-2', 'Okafor');
    await choosePatient(page, 'RR-2');
    const latestRR = async () =>
      (
        await call<Observation[]>(core, nurse.senderId, 'observations.latest', { patientId: patient.id })
      ).find((o) => o.kind === 'respiratoryRate');
    const card = page.getByTestId('vital-respiratoryRate');
    const dialog = page.getByRole('dialog', { name: 'Check before saving' });

    // The seen case: Alt+9, "2", Enter.
    await page.keyboard.press('Alt+9');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(
      'Respiratory rate 2 breaths/min is below 6 breaths/min. That is rare: is it what you measured?',
    );
    // Focus is on going back, so a second Enter does not save either.
    expect(await focusedText(page)).toBe('Change the value');
    await viewportShot('confirm-outer-band-1366');
    const axe = await new AxeBuilder({ page }).include('dialog').analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedId(page)).toBe('vital-respiratoryRate-input');
    expect(await card.getByLabel(/Value/).inputValue()).toBe('2');
    expect(await card.getByTestId('vital-respiratoryRate-value').count()).toBe(0);
    expect(await latestRR()).toBeUndefined();

    // Asked again; Tab stays inside the dialog (wraps both ways); Escape goes back without saving.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Save 2 breaths/min');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Change the value');
    await page.keyboard.press('Shift+Tab');
    expect(await focusedText(page)).toBe('Save 2 breaths/min');
    // The screen's shortcuts wait while the question is open (Alt+P would change the patient under it).
    await page.keyboard.press('Alt+P');
    await page.keyboard.press('Alt+5');
    expect(await focusedText(page)).toBe('Save 2 breaths/min');
    expect(await page.getByTestId('patient-banner').count()).toBe(1);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedId(page)).toBe('vital-respiratoryRate-input');
    expect(await latestRR()).toBeUndefined();

    // A corrected value saves at once, with no question.
    await page.keyboard.type('12');
    await page.keyboard.press('Enter');
    await card.getByText('12 breaths/min').waitFor();
    expect(await dialog.count()).toBe(0);

    // It really was 2 (the patient is barely breathing): the nurse confirms it deliberately.
    await page.keyboard.press('Alt+9');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    // 12 → 2 is within the respiratory rate's jump limit (12 /min): only the rare value is asked about.
    expect(await dialog.textContent()).not.toContain('last was');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await card.getByText('2 breaths/min', { exact: true }).waitFor();
    expect(await latestRR()).toMatchObject({ value: 2, method: 'manual' });

    // A correction is asked about the same way when the corrected value is rare too.
    await card.getByRole('button', { name: 'Correct…' }).click();
    await card.getByLabel(/Value/).fill('3');
    await card.getByLabel('Reason for the correction').fill('Recounted over a full minute');
    await card.getByLabel('Reason for the correction').press('Enter');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Respiratory rate 3 breaths/min is below 6 breaths/min.');
    expect(await latestRR()).toMatchObject({ value: 2 });
    await dialog.getByRole('button', { name: 'Save 3 breaths/min' }).click();
    await card.getByText('3 breaths/min', { exact: true }).waitFor();
    expect(await latestRR()).toMatchObject({
      value: 3,
      status: 'amended',
      reason: 'Recounted over a full minute',
    });

    // Main refuses the same value from anything that skips the question.
    const refused = await core.invoke(
      'observations.record',
      {
        patientId: patient.id,
        kind: 'heartRate',
        value: 190,
        effectiveAt: new Date().toISOString(),
        method: 'manual',
      },
      { senderId: nurse.senderId },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'NEEDS_CONFIRMATION' } });
  });

  it('weight 187 kg after 85 kg offers 187 lb (84.8 kg); each choice saves what it says', async () => {
    const { page, core, nurse, patient } = await openPatient('WT-1', 'Lindqvist');
    // Last visit, 19 days ago: 85 kg.
    const lastVisit = new Date(Date.now() - 19 * 86_400_000);
    lastVisit.setHours(12, 0, 0, 0);
    await call(core, nurse.senderId, 'observations.record', {
      patientId: patient.id,
      kind: 'bodyWeight',
      value: 85,
      effectiveAt: lastVisit.toISOString(),
      method: 'manual',
    });
    await choosePatient(page, 'WT-1');
    const card = page.getByTestId('vital-bodyWeight');
    const dialog = page.getByRole('dialog', { name: 'Check before saving' });
    const storedWeight = async () =>
      (
        await call<Observation[]>(core, nurse.senderId, 'observations.latest', { patientId: patient.id })
      ).find((o) => o.kind === 'bodyWeight')?.value;

    await page.keyboard.press('Alt+W');
    await page.keyboard.type('187');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    const day = `${lastVisit.getDate()} ${MONTHS[lastVisit.getMonth()]}`;
    expect(await dialog.textContent()).toContain(
      `187 kg — last was 85 kg on ${day}. Did you mean 187 lb (84.8 kg)?`,
    );
    expect(await dialog.getByRole('button').allTextContents()).toEqual([
      'Change the value',
      'Save 187 lb (84.8 kg)',
      'Save 187 kg',
    ]);
    await viewportShot('confirm-jump-1366');
    expect(await storedWeight()).toBe(85);

    // Take the offered reading: saved as 187 lb in kg, no second question.
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Save 187 lb (84.8 kg)');
    await page.keyboard.press('Enter');
    await card.getByText('84.8 kg').waitFor();
    expect(await storedWeight()).toBeCloseTo(187 * 0.45359237, 6);

    // 187 again, and this time it is right (a different scale, a new patient record merged): as typed.
    await page.keyboard.press('Alt+W');
    await page.keyboard.type('187');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/187 kg — last was 84\.8 kg at \d\d:\d\d\. Did you mean/);
    await dialog.getByRole('button', { name: 'Save 187 kg' }).click();
    await card.getByText('187.0 kg').waitFor();
    expect(await storedWeight()).toBe(187);

    // Without a unit to explain it, the question just asks, naming the threshold.
    await card.getByLabel(/Value/).fill('150');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('a change of more than 10 % within 30 days. Is that right?');
    expect(await dialog.getByRole('button').allTextContents()).toEqual(['Change the value', 'Save 150 kg']);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await storedWeight()).toBe(187);
  });
});
