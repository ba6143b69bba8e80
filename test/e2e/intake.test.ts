/**
 * The nurse's intake flow end to end: the built renderer in Chromium, the real core with its encrypted
 * database, and a pulse oximeter simulated over a socat pseudo-terminal writing real Nonin bytes.
 * Sign-in goes through the core's real flow for this page's window (the sign-in screen has its own test).
 */
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeNonin8 } from '../../main/devices/serial/drivers/nonin-8';
import type { Observation, Patient } from '../../shared/records';
import { createPtyPair, type PtyPair } from '../sim/serial/pty';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { openPatientAtIntake, startWorkstation, type Workstation } from './harness';

const FIRST_PAGE_SENDER = 'chromium-page-1';

let ws: Workstation | undefined;
let pty: PtyPair | undefined;
afterEach(async () => {
  await pty?.close();
  pty = undefined;
  await ws?.close();
  ws = undefined;
});

async function openIntakeAsNurse(viewport?: { width: number; height: number }) {
  const workstation = await startWorkstation({ route: 'intake', ...(viewport ? { viewport } : {}) });
  await workstation.page.getByTestId('workstation').waitFor();
  const nurse = await signInAs(workstation.core, 'nurse', FIRST_PAGE_SENDER);
  await workstation.page.reload();
  await workstation.page.getByRole('heading', { name: 'Find the patient' }).waitFor();
  return { workstation, nurse };
}

describe('Nurse intake', () => {
  it('registers a patient, starts the visit, records typed vitals, refuses a typo and accepts an oximeter reading', async () => {
    const opened = await openIntakeAsNurse();
    ws = opened.workstation;
    const { page } = ws;
    const { nurse } = opened;
    pty = await createPtyPair(ws.dataDir, 'oximeter');
    await call(ws.core, nurse.senderId, 'devices.pair', {
      name: 'Desk oximeter',
      transport: 'serial',
      driver: 'serial.nonin-8',
      address: pty.portPath,
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();

    // Register from the keyboard: Alt+N opens the form, a bad birth date is refused next to its field.
    await page.keyboard.press('Alt+N');
    await page.getByLabel('MRN').fill('MRN-20417');
    await page.getByLabel('Family name').fill('Okafor');
    await page.getByLabel('Given name').fill('Adaeze');
    await page.getByLabel('Birth date (YYYY-MM-DD)').fill('1961-02-30');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByRole('button', { name: 'Register patient' }).click();
    expect(await page.locator('#reg-birthDate-error').textContent()).toBe('February 1961 has no day 30.');
    await page.getByLabel('Birth date (YYYY-MM-DD)').fill('1961-02-28');
    await page.getByRole('button', { name: 'Register patient' }).click();

    const banner = page.getByTestId('patient-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('OKAFOR, Adaeze');
    expect(await banner.textContent()).toContain('MRN MRN-20417');

    await page.getByLabel('Visit id or join link').fill('https://visits.example.org/join/7781');
    await page.getByLabel('Reason for visit').fill('Follow-up');
    await page.getByRole('button', { name: 'Start visit' }).click();
    await page.getByText(/Visit in progress since/).waitFor();

    // Heart rate from the keyboard: Alt+5 focuses it, Enter saves at once.
    await page.keyboard.press('Alt+5');
    await page.keyboard.type('720');
    await page.keyboard.press('Enter');
    const hrCard = page.getByTestId('vital-heartRate');
    expect(await hrCard.getByRole('alert').textContent()).toMatch(/too high to be possible.*20–300/);
    expect(await hrCard.getByTestId('vital-heartRate-value').count()).toBe(0);
    await page.getByLabel('Value', { exact: false }).first().fill('72');
    await page.keyboard.press('Enter');
    await hrCard.getByTestId('vital-heartRate-value').waitFor();
    expect(await hrCard.getByTestId('vital-heartRate-value').textContent()).toBe('72 bpm');
    // Who recorded it, by name, and how.
    expect(await hrCard.textContent()).toMatch(/Test nurse \d+ · typed in/);

    // Temperature typed in °F is stored in °C.
    const tempCard = page.getByTestId('vital-bodyTemperature');
    await tempCard.getByLabel('Unit').selectOption('[degF]');
    await tempCard.getByLabel(/Value/).fill('100.4');
    await tempCard.getByRole('button', { name: 'Save' }).click();
    await tempCard.getByTestId('vital-bodyTemperature-value').waitFor();
    expect(await tempCard.getByTestId('vital-bodyTemperature-value').textContent()).toBe('100.4 °F (oral)');

    // The oximeter on its serial port, paired at this workstation (as IT or a nurse does once).
    // Connect from the screen; the live value shows; Alt+A accepts it.
    await page.getByRole('button', { name: 'Connect Desk oximeter' }).click();
    await page.getByTestId('device-list').getByText('Connected', { exact: true }).waitFor();
    pty.write(encodeNonin8({ heartRate: 88, spo2: 95 }));
    const live = page.getByTestId('vital-spo2-live-value');
    await live.waitFor();
    expect(await live.textContent()).toBe('95 %');
    await page.keyboard.press('Alt+A');
    await page.getByTestId('vital-spo2-value').waitFor();
    expect(await page.getByTestId('vital-spo2-value').textContent()).toBe('95 % on air');
    expect(await page.getByTestId('vital-heartRate-value').textContent()).toBe('88 bpm');
    await ws.screenshot('intake-vitals-1366');

    // What was saved: canonical units and the device's provenance.
    const [patient] = await call<Patient[]>(ws.core, nurse.senderId, 'patients.search', {
      query: 'MRN-20417',
    });
    const latest = await call<Observation[]>(ws.core, nurse.senderId, 'observations.latest', {
      patientId: patient!.id,
    });
    const byKind = new Map(latest.map((o) => [o.kind, o]));
    expect(byKind.get('bodyTemperature')?.value).toBeCloseTo(38, 6);
    expect(byKind.get('bodyTemperature')?.method).toBe('manual');
    expect(byKind.get('spo2')).toMatchObject({
      value: 95,
      method: 'device',
      device: { transport: 'serial', driver: 'serial.nonin-8' },
    });
    expect(byKind.get('heartRate')).toMatchObject({ value: 88, method: 'device' });
  });

  it('corrects a value with a reason and keeps the history; NEWS2 shows once all seven are in', async () => {
    const opened = await openIntakeAsNurse({ width: 1920, height: 1080 });
    ws = opened.workstation;
    const { page } = ws;
    const patient = await call<Patient>(ws.core, opened.nurse.senderId, 'patients.register', {
      mrn: 'A-1',
      family: 'Lindqvist',
      given: 'Sven',
      birthDate: '1950-07-01',
      sex: 'male',
    });
    const record = (kind: string, value: object) =>
      call<Observation>(ws!.core, opened.nurse.senderId, 'observations.record', {
        patientId: patient.id,
        kind,
        effectiveAt: new Date().toISOString(),
        method: 'manual',
        ...value,
      });
    await record('respiratoryRate', { value: 22 });
    await record('spo2', { value: 97 });
    await record('bloodPressure', {
      components: [
        { kind: 'systolic', value: 118 },
        { kind: 'diastolic', value: 76 },
      ],
    });
    await record('consciousness', { valueCode: 'A' });
    await record('bodyTemperature', { value: 37.1 });

    await openPatientAtIntake(page, 'A-1', /LINDQVIST, Sven/, { keyboard: true });
    await page.getByTestId('news2-missing').waitFor();
    expect(await page.getByTestId('news2-missing').textContent()).toContain('pulse');

    const hrCard = page.getByTestId('vital-heartRate');
    await hrCard.getByLabel(/Value/).fill('135');
    await hrCard.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('news2-aggregate').waitFor();
    // RR 22 → 2, SpO2 97 → 0, air 0, SBP 118 → 0, pulse 135 → 3, alert 0, 37.1 → 0.
    expect(await page.getByTestId('news2-aggregate').textContent()).toBe('5');
    expect(await hrCard.textContent()).toContain('Very abnormal');

    await hrCard.getByRole('button', { name: 'Correct…' }).click();
    await hrCard.getByLabel(/Value/).fill('85');
    await hrCard.getByRole('button', { name: 'Save correction' }).click();
    expect(await hrCard.getByRole('alert').textContent()).toContain('why');
    await hrCard.getByLabel('Reason for the correction').fill('Typed the wrong patient’s value');
    await hrCard.getByRole('button', { name: 'Save correction' }).click();
    await hrCard.getByText('85 bpm').waitFor();
    expect(await page.getByTestId('news2-aggregate').textContent()).toBe('2');
    await hrCard.getByRole('button', { name: 'History' }).click();
    const history = hrCard.getByRole('region', { name: 'History of Heart rate in this visit' });
    await history.getByText('Corrected').waitFor();
    expect(await history.textContent()).toContain('135 bpm');
    expect(await history.textContent()).toContain('Typed the wrong patient’s value');
    // Weight in lb and height in cm give the BMI on the height card.
    const weightCard = page.getByTestId('vital-bodyWeight');
    await weightCard.getByLabel('Unit').selectOption('[lb_av]');
    await weightCard.getByLabel(/Value/).fill('176.4');
    await weightCard.getByRole('button', { name: 'Save' }).click();
    const heightCard = page.getByTestId('vital-bodyHeight');
    await heightCard.getByLabel(/Value/).fill('180');
    await heightCard.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('vital-bodyHeight-derived').waitFor();
    // 176.4 lb = 80.01 kg; 80.01 / 1.8² = 24.7.
    expect(await page.getByTestId('vital-bodyHeight-derived').textContent()).toBe('BMI 24.7 kg/m²');
    await ws.screenshot('intake-vitals-1920');

    const axe = await new AxeBuilder({ page }).analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
