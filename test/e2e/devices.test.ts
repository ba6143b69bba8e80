/**
 * Pairing a device from the Devices screen, end to end: the serial port is a real socat pseudo-terminal;
 * Bluetooth is whatever this machine has (no radio here), which the screen must say in words.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeNonin8 } from '../../main/devices/serial/drivers/nonin-8';
import { createPtyPair, type PtyPair } from '../sim/serial/pty';
import { signInAs } from '../support/session';
import { startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
let pty: PtyPair | undefined;
afterEach(async () => {
  await pty?.close();
  await ws?.close();
  ws = undefined;
  pty = undefined;
});

describe('Devices screen', () => {
  it('pairs a serial oximeter by its port, connects it, and says Bluetooth is unavailable', async () => {
    ws = await startWorkstation({ route: 'devices' });
    const { page } = ws;
    await page.getByTestId('workstation').waitFor();
    await signInAs(ws.core, 'nurse', 'chromium-page-1');
    await page.reload();
    await page.getByRole('heading', { name: 'Devices at this workstation' }).waitFor();
    expect(await page.getByTestId('bluetooth-state').textContent()).toBe('Bluetooth unavailable');

    pty = await createPtyPair(ws.dataDir, 'pair-oximeter');
    await page.getByLabel('Device type').selectOption({ label: await nonin8Label(page) });
    await page.getByLabel('Name shown to nurses').fill('Bay 2 oximeter');
    await page.getByLabel('Port').fill(pty.portPath);
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByText('Bay 2 oximeter can now be used at this workstation.').waitFor();
    await page.getByRole('button', { name: 'Connect Bay 2 oximeter' }).click();
    await page.getByTestId('device-list').getByText('Connected', { exact: true }).waitFor();
    pty.write(encodeNonin8({ heartRate: 77, spo2: 98 }));
    await page.getByTestId('device-list').getByText('Measuring').waitFor();

    await page.getByLabel('Connection').selectOption('ble');
    expect(await page.getByRole('button', { name: 'Look for Bluetooth devices' }).isDisabled()).toBe(true);
    await ws.screenshot('devices-screen');
  });
});

async function nonin8Label(page: Workstation['page']): Promise<string> {
  // The list of device types comes from main after the screen is drawn: wait for it, not for luck.
  await page
    .getByLabel('Device type')
    .locator('option', { hasText: /format #8/i })
    .waitFor({ state: 'attached' })
    .catch(() => undefined);
  const options = await page.getByLabel('Device type').locator('option').allTextContents();
  const label = options.find((o) => /format #8/i.test(o));
  if (!label) throw new Error(`no Nonin format #8 driver among: ${options.join(', ')}`);
  return label;
}
