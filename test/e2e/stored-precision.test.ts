/**
 * A weight from a 0.05 kg scale (72.35 kg, stored as the scale sent it, binary noise and all) and a
 * temperature to the hundredth are shown as stored on the intake card, in History, and in the review's
 * latest-values table (the printed summary's table), with the change since the last visit to the same
 * precision; a 72.5 kg weight is not padded to 72.50.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/records';
import { seedDeviceValue } from '../support/device-values';
import { signInAs } from '../support/session';
import { openPatientAtIntake, startWorkstation, type Workstation } from './harness';
import { call, NURSE_WINDOW, poll } from './review-steps';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const SCALE = {
  deviceId: 'scale-1',
  transport: 'ble',
  driver: 'ble.weight-scale',
  manufacturer: 'A&D',
  model: 'UC-352BLE',
} as const;
const ago = (days: number) => new Date(Date.now() - days * 86_400_000 - 10 * 60_000).toISOString();

describe('stored precision', () => {
  it('shows 72.35 kg and 36.85 °C as stored, at intake, in History and in review', async () => {
    ws = await startWorkstation({ route: 'intake' });
    const { core, page } = ws;
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const patient = await call<Patient>(core, 'patients.register', {
      mrn: 'SP-1',
      family: 'Lindqvist',
      given: 'Maja',
      birthDate: '1966-05-02',
      sex: 'female',
    });
    const earlier = await call<{ id: string }>(core, 'encounters.start', {
      patientId: patient.id,
      reason: 'Check',
    });
    await seedDeviceValue(core, NURSE_WINDOW, {
      patientId: patient.id,
      encounterId: earlier.id,
      effectiveAt: ago(30),
      kind: 'bodyWeight',
      value: 72.5,
      device: SCALE,
    });
    await call(core, 'encounters.finish', { encounterId: earlier.id });
    const today = await call<{ id: string }>(core, 'encounters.start', {
      patientId: patient.id,
      reason: 'Check',
    });
    await seedDeviceValue(core, NURSE_WINDOW, {
      patientId: patient.id,
      encounterId: today.id,
      effectiveAt: ago(0),
      kind: 'bodyWeight',
      // The scale's 7235 × 0.01, as floating point gives it.
      value: 7235 * 0.01,
      device: SCALE,
    });
    await call(core, 'observations.record', {
      patientId: patient.id,
      encounterId: today.id,
      effectiveAt: ago(0),
      method: 'manual',
      kind: 'bodyTemperature',
      value: 36.85,
      bodySite: 'oral',
    });

    await openPatientAtIntake(page, 'SP-1', /LINDQVIST, Maja/, { keyboard: true });
    const weight = page.getByTestId('vital-bodyWeight');
    await poll(() => weight.textContent()).toContain('72.35 kg');
    expect(await weight.textContent()).not.toContain('72.4 kg');
    expect(await page.getByTestId('vital-bodyTemperature').textContent()).toContain('36.85 °C');
    await weight.getByRole('button', { name: 'History' }).click();
    const history = weight.locator('.history-entry-summary');
    await poll(() => history.allTextContents()).toEqual([expect.stringMatching(/^72\.35 kg · taken /)]);
    await ws.screenshot('stored-precision-intake-history');

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Review/ })
      .click();
    await page.getByLabel('MRN, name or birth date (YYYY-MM-DD)').last().fill('SP-1');
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('latest-bodyWeight-value').textContent()).toBe('72.35 kg');
    expect(await page.getByTestId('latest-bodyTemperature-value').textContent()).toBe('36.85 °C (oral)');
    expect(await page.getByTestId('latest-bodyWeight-change').textContent()).toMatch(/^↓ 0\.15 kg since /);
    await ws.screenshot('stored-precision-review');
  });
});
