/**
 * The end of a nurse's turn at the desk: she has saved some values and typed others she has not saved
 * yet, goes to Settings, and presses Sign out. Sign out ends her kept work, so the values typed and not
 * saved are named first, with whose record they are on; staying takes her back to them, and only
 * "Sign out without saving" (or nothing left unsaved) signs her out. Screenshots: test-results/sign-out-*.png.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../main/platform/clock';
import type { Observation, Patient } from '../../shared/records';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { openPatientAtIntake, startWorkstation, type Workstation } from './harness';
import { poll } from './review-steps';
import { fillSignIn } from './sign-in';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('signing out with values typed and not saved', () => {
  it('asks first, names them and the patient, and staying keeps them to save', async () => {
    const clock = manualClock(new Date());
    ws = await startWorkstation({ route: 'intake', signIn: 'nurse', core: { clock } });
    const { page, core } = ws;
    const nurse = ws.account!;
    const setup = (await signInAs(core, 'nurse', 'setup-window')).senderId;
    const patient = await call<Patient>(core, setup, 'patients.register', {
      mrn: 'SO-1',
      family: 'Castro',
      given: 'Ines',
      birthDate: '1990-06-15',
      sex: 'female',
    });
    await page.reload();
    await openPatientAtIntake(page, 'SO-1', /CASTRO, Ines/);
    await page.getByLabel('Reason for visit').fill('Fever');
    await page.getByRole('button', { name: 'Start visit' }).click();
    await page.getByText(/Visit in progress since/).waitFor();
    const hr = page.getByTestId('vital-heartRate');
    await hr.getByLabel(/Value/).fill('104');
    await hr.getByRole('button', { name: 'Save' }).click();
    await poll(() => hr.textContent()).toContain('typed in');
    // Two values typed, not saved yet: the patient coughed, she turned to the video call.
    const temp = page.getByTestId('vital-bodyTemperature').getByLabel(/Value/);
    await temp.fill('38.3');
    await page.getByTestId('vital-respiratoryRate').getByLabel(/Value/).fill('22');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Settings/ })
      .click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    const ask = page.getByTestId('sign-out-dialog');
    await ask.waitFor();
    expect(await ask.textContent()).toContain(
      'Typed but not saved for CASTRO, Ines: Temperature: 38.3; Respiratory rate: 22. Signing out loses them.',
    );
    // A stray Enter changes nothing: the safe button has the keyboard.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stay and save them');
    await ws.screenshot('sign-out-01-asks', { window: true });
    await page.keyboard.press('Escape');
    await poll(() => ask.count()).toBe(0);
    // Back at intake, still signed in, on the first value she typed.
    await page.getByTestId('patient-banner').getByText('CASTRO, Ines').waitFor();
    expect(await page.getByTestId('session-bar').textContent()).toContain('(nurse)');
    await poll(() =>
      page.evaluate(() => document.activeElement?.closest('.vital-card')?.getAttribute('data-testid')),
    ).toBe('vital-bodyTemperature');
    expect(await temp.inputValue()).toBe('38.3');
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('accept-status').textContent()).toBe('Temperature saved.');
    await ws.screenshot('sign-out-02-stayed-and-saved', { window: true });

    // Still one unsaved: asked again; this time she means it.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await ask.waitFor();
    expect(await ask.textContent()).toContain('Typed but not saved for CASTRO, Ines: Respiratory rate: 22.');
    await ask.getByRole('button', { name: 'Sign out without saving' }).click();
    await page.getByRole('heading', { name: 'Sign in to Vitals Desk' }).waitFor();

    // Signed in again: her work ended with the sign-out (as said); what she saved is there.
    clock.advance(30_000); // her phone's next code: a code is never taken twice
    await fillSignIn(page, core, nurse);
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    expect(await page.getByTestId('patient-banner').count()).toBe(0);
    const latest = await call<Observation[]>(core, setup, 'observations.latest', { patientId: patient.id });
    expect(latest.map((o) => `${o.kind} ${o.value}`).sort()).toEqual([
      'bodyTemperature 38.3',
      'heartRate 104',
    ]);

    // Nothing typed and not saved: Sign out signs out at once.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Vitals Desk' }).waitFor();
    expect(await ask.count()).toBe(0);
  });
});
