/**
 * A Nonin oximeter in data format #7 (16-bit pleth, frames without a start byte), end to end: paired
 * from the Devices screen on a real socat pseudo-terminal, its live SpO2 on the intake card with the
 * signal quality its perfusion bits give, in words a screen reader says too.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeNonin7Packet } from '../../main/devices/serial/drivers/nonin-7';
import { createPtyPair, type PtyPair } from '../sim/serial/pty';
import { signInAs } from '../support/session';
import { RESULTS_DIR, startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
let pty: PtyPair | undefined;
let sending: NodeJS.Timeout | undefined;
afterEach(async () => {
  clearInterval(sending);
  await pty?.close();
  await ws?.close();
  ws = undefined;
  pty = undefined;
});

const pleth = Array.from({ length: 25 }, (_, i) => 0x8000 + Math.round(12000 * Math.sin(i / 4)));

describe('Nonin format #7 at intake', () => {
  it('pairs a #7 oximeter, shows its live SpO2 with the signal quality, and the quality follows the perfusion', async () => {
    ws = await startWorkstation({ route: 'devices' });
    const { page } = ws;
    await page.getByTestId('workstation').waitFor();
    await signInAs(ws.core, 'nurse', 'chromium-page-1');
    await page.reload();
    await page.getByRole('heading', { name: 'Devices at this workstation' }).waitFor();

    pty = await createPtyPair(ws.dataDir, 'wrist-oximeter');
    // The list of device types comes from main after the screen is drawn: wait for it, not for luck.
    await page
      .getByLabel('Device type')
      .locator('option', { hasText: /format #7/i })
      .waitFor({ state: 'attached' });
    const options = await page.getByLabel('Device type').locator('option').allTextContents();
    const label = options.find((o) => /format #7/i.test(o));
    expect(label, `a Nonin format #7 driver among: ${options.join(', ')}`).toBeDefined();
    await page.getByLabel('Device type').selectOption({ label: label! });
    await page.getByLabel('Name shown to nurses').fill('Wrist oximeter');
    await page.getByLabel('Port').fill(pty.portPath);
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByText('Wrist oximeter can now be used at this workstation.').waitFor();

    // A patient and a visit, so the vital cards are there.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Intake/ })
      .click();
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    await page.keyboard.press('Alt+N');
    await page.getByLabel('MRN').fill('MRN-70007');
    await page.getByLabel('Family name').fill('Lindqvist');
    await page.getByLabel('Given name').fill('Maja');
    await page.getByLabel('Birth date (YYYY-MM-DD)').fill('1948-06-11');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByTestId('patient-banner').waitFor();
    await page.getByLabel('Visit id or join link').fill('https://visits.example.org/join/7007');
    await page.getByLabel('Reason for visit').fill('COPD review');
    await page.getByRole('button', { name: 'Start visit' }).click();
    await page.getByText(/Visit in progress since/).waitFor();

    await page.getByRole('button', { name: 'Connect Wrist oximeter' }).click();
    await page.getByTestId('device-list').getByText('Connected', { exact: true }).waitFor();
    // Three packets a second, as the oximeter sends them; the perfusion colour is switchable.
    let perfusion: 'green' | 'yellow' | 'red' = 'green';
    let spo2 = 94;
    sending = setInterval(
      () => pty?.write(encodeNonin7Packet({ heartRate: 84, spo2, pleth, perfusion })),
      1000 / 3,
    );

    const card = page.getByTestId('vital-spo2');
    const signal = card.getByTestId('vital-spo2-live-signal');
    await signal.waitFor();
    expect(await card.getByTestId('vital-spo2-live-value').textContent()).toBe('94 %');
    expect(await signal.textContent()).toMatch(/Signal: good$/);
    expect(await signal.getAttribute('aria-label')).toBe('Signal quality: good');

    perfusion = 'yellow';
    spo2 = 93;
    await card.locator('[data-signal-quality="weak"]').waitFor();
    expect(await signal.getAttribute('aria-label')).toBe('Signal quality: weak');
    expect(await card.getByTestId('vital-spo2-live-notes').textContent()).toContain('marginal perfusion');
    await ws.screenshot('intake-nonin7-signal-weak-1366');

    perfusion = 'green';
    spo2 = 95;
    await card.locator('[data-signal-quality="good"]').waitFor();
    await page.getByTestId('vital-spo2-live-value').getByText('95 %').waitFor();
    await ws.screenshot('intake-nonin7-signal-good-1366');
    // What the nurse sees in the 1366×768 window, the SpO2 card in view.
    await card.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: path.join(RESULTS_DIR, 'intake-nonin7-signal-viewport-1366x768.png') });
  });
});
