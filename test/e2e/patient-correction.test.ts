/**
 * A nurse corrects a misspelt name and a wrong birth date from the patient banner of the real renderer
 * (real core behind the bridge): mistakes are shown next to their fields, the banner updates, the
 * replaced values are listed, and a correction made at another window shows at once and is not
 * overwritten by a form opened before it.
 */
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/records';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('correcting patient details', () => {
  it('corrects from the banner, keeps the history, and never overwrites another window’s correction', async () => {
    ws = await startWorkstation({ route: 'intake', signIn: 'nurse' });
    const { page, core } = ws;
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    await page.keyboard.press('Alt+N');
    await page.getByLabel('MRN').fill('MRN-30551');
    await page.getByLabel('Family name').fill('Okafr');
    await page.getByLabel('Given name').fill('Adaeze');
    await page.getByLabel('Birth date (YYYY-MM-DD)').fill('1961-02-28');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByRole('button', { name: 'Register patient' }).click();
    const banner = page.getByTestId('patient-banner');
    await banner.getByText('OKAFR, Adaeze').waitFor();

    await page.keyboard.press('Alt+D');
    const form = page.getByRole('region', { name: 'Correct patient details' });
    await form.waitFor();
    // Escape leaves without saving; Alt+D opens it again.
    await page.keyboard.press('Escape');
    await expect.poll(() => form.count()).toBe(0);
    await page.keyboard.press('Alt+D');
    await form.waitFor();
    expect(await form.getByLabel('Family name').inputValue()).toBe('Okafr');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await form.getByText('Nothing was changed: the details are as they were.').waitFor();

    await form.getByLabel('Family name').fill('Okafor');
    await form.getByLabel('Birth date (YYYY-MM-DD)').fill('1961-02-30');
    await form.getByRole('button', { name: 'Save correction' }).click();
    expect(await page.locator('#fix-birthDate-error').textContent()).toBe('February 1961 has no day 30.');
    expect(await page.locator('#fix-reason-error').textContent()).toBe('Say briefly why.');
    const axe = await new AxeBuilder({ page }).include('main').analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => v.id)).toEqual([]);
    await ws.screenshot('patient-correction-errors');

    await form.getByLabel('Birth date (YYYY-MM-DD)').fill('1961-02-27');
    await form.getByLabel('Reason for the correction').fill('Checked against her passport');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await banner.getByText('OKAFOR, Adaeze').waitFor();
    expect(await banner.textContent()).toContain('born 1961-02-27');
    expect(await form.count()).toBe(0);

    // Saved in main, not only on screen; the search finds the corrected spelling.
    const nurseWindow = await signInAs(core, 'nurse', 'second-window');
    const [found] = await call<Patient[]>(core, nurseWindow.senderId, 'patients.search', { query: 'okafor' });
    expect(found).toMatchObject({ family: 'Okafor', birthDate: '1961-02-27' });

    // Reopened, the form lists what the correction replaced.
    await banner.getByRole('button', { name: /Correct details/ }).click();
    const history = form.getByTestId('patient-corrections');
    await history.waitFor();
    expect(await history.textContent()).toContain(
      '“Checked against her passport” · replaced family name Okafr, birth date 1961-02-28',
    );

    // Another window corrects the given name while this form is open: the banner shows it at once.
    await call<Patient>(core, nurseWindow.senderId, 'patients.correct', {
      patientId: found!.id,
      expectedUpdatedAt: found!.updatedAt,
      changes: { given: 'Ada' },
      reason: 'Goes by Ada on her ID',
    });
    await banner.getByText('OKAFOR, Ada', { exact: true }).waitFor();
    // This form was opened before that: saving it is refused rather than putting "Adaeze" back.
    await form.getByLabel('Phone').fill('555-0177');
    await form.getByLabel('Reason for the correction').fill('New phone number');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await form
      .getByText(
        'Someone else changed this patient’s details while you were editing. Check them and correct again.',
      )
      .waitFor();
    expect(await form.getByLabel('Given name').inputValue()).toBe('Ada');
    await ws.screenshot('patient-correction-conflict');
    await form.getByLabel('Phone').fill('555-0177');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await expect.poll(() => form.count()).toBe(0);
    // Search results carry no contact details; opening the patient does.
    const [listed] = await call<Patient[]>(core, nurseWindow.senderId, 'patients.search', {
      query: 'MRN-30551',
    });
    const after = await call<Patient>(core, nurseWindow.senderId, 'patients.get', { patientId: listed!.id });
    expect(after).toMatchObject({ given: 'Ada', phone: '555-0177' });
  });
});
