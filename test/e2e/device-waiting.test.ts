/**
 * A serial oximeter unplugged while connected, seen on the Devices screen: the list says it is waiting
 * for the device by name, and reads again once the cable (a socat pseudo-terminal made again at the
 * same path) is back.
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

describe('Devices screen: a device that comes and goes', () => {
  it('says "Waiting for Bay 2 oximeter…" while it is unplugged, and measures again once it is back', async () => {
    ws = await startWorkstation({
      route: 'devices',
      core: { devices: { reconnect: { initialMs: 200, maxMs: 1000 } } },
    });
    const { page } = ws;
    await page.getByTestId('workstation').waitFor();
    await signInAs(ws.core, 'nurse', 'chromium-page-1');
    await page.reload();
    await page.getByRole('heading', { name: 'Devices at this workstation' }).waitFor();

    pty = await createPtyPair(ws.dataDir, 'bay2');
    // The list of device types comes from main after the screen is drawn: wait for it, not for luck.
    await page
      .getByLabel('Device type')
      .locator('option', { hasText: /format #8/i })
      .waitFor({ state: 'attached' });
    const options = await page.getByLabel('Device type').locator('option').allTextContents();
    await page.getByLabel('Device type').selectOption({ label: options.find((o) => /format #8/i.test(o))! });
    await page.getByLabel('Name shown to nurses').fill('Bay 2 oximeter');
    await page.getByLabel('Port').fill(pty.portPath);
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByRole('button', { name: 'Connect Bay 2 oximeter' }).click();
    const list = page.getByTestId('device-list');
    await list.getByText('Connected', { exact: true }).waitFor();

    await pty.unplug();
    await list.getByText('Waiting for Bay 2 oximeter…').waitFor();
    expect(await list.locator('.device-state').textContent()).toMatch(/Trying again by itself\.$/);
    await page.getByRole('button', { name: 'Stop waiting Bay 2 oximeter' }).waitFor();
    await ws.screenshot('devices-waiting');

    await pty.replug();
    await list.getByText('Connected', { exact: true }).waitFor({ timeout: 20_000 });
    // As the oximeter does, a frame every half second: the first may land before the port is read again.
    const sending = setInterval(() => pty?.write(encodeNonin8({ heartRate: 76, spo2: 97 })), 500);
    try {
      await list.getByText('Measuring').waitFor();
    } finally {
      clearInterval(sending);
    }
  });
});
