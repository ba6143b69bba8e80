/**
 * The device details on the Devices screen: a simulated cuff and oximeter (the simulated radio stands in
 * for a Bluetooth adapter, which this machine lacks) send their Device Information and Feature bytes;
 * the nurse opens "Details" and reads who the device is and what it can detect.
 */
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedDevice } from '../sim/ble/devices';
import { SimulatedBleAdapter } from '../sim/ble/simulated-adapter';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('Devices screen: device details', () => {
  it('shows maker, model, serial, firmware and the features each device reports', async () => {
    const cuff = createSimulatedDevice('blood-pressure', { address: 'c0:ff:ee:00:20:01' });
    const oximeter = createSimulatedDevice('pulse-oximeter', { address: 'c0:ff:ee:00:20:02' });
    // A cuff that says it is a Beurer BM85: the app reads it with that model's adjustments (quirks.ts).
    const beurer = createSimulatedDevice('blood-pressure', {
      address: 'c0:ff:ee:00:20:03',
      manufacturer: 'Beurer GmbH',
      model: 'BM85',
    });
    // Its Blood Pressure Feature: irregular pulse detection only.
    beurer.peripheral.setValue('1810', '2a49', Uint8Array.of(0x04, 0x00));
    ws = await startWorkstation({
      route: 'devices',
      signIn: 'nurse',
      core: {
        devices: {
          bleAdapter: new SimulatedBleAdapter([cuff.peripheral, oximeter.peripheral, beurer.peripheral]),
        },
      },
    });
    const { page, core } = ws;
    const setup = await signInAs(core, 'nurse', 'setup-window');
    for (const [name, driver, address] of [
      ['Desk cuff', 'ble.blood-pressure', cuff.peripheral.address],
      ['Bay oximeter', 'ble.pulse-oximeter', oximeter.peripheral.address],
      ['Home cuff', 'ble.blood-pressure', beurer.peripheral.address],
    ] as const) {
      await call(core, setup.senderId, 'devices.pair', { name, transport: 'ble', driver, address });
    }
    await page.reload();
    await page.getByRole('heading', { name: 'Devices at this workstation' }).waitFor();
    for (const name of ['Desk cuff', 'Bay oximeter', 'Home cuff']) {
      await page.getByRole('button', { name: `Connect ${name}` }).click();
      await page.getByRole('button', { name: `Disconnect ${name}` }).waitFor();
    }
    await page.getByText('Details of Desk cuff').click();
    await page.getByText('Details of Bay oximeter').click();
    const list = page.getByTestId('device-list');
    await list.getByText('Detects a loose cuff').waitFor();
    const cuffDetails = list.locator('li', { hasText: 'Desk cuff' }).locator('.device-details');
    expect(await cuffDetails.locator('.device-features li').allTextContents()).toEqual([
      'Detects body movement',
      'Detects a loose cuff',
      'Detects irregular pulse',
    ]);
    expect(await cuffDetails.locator('dt').allTextContents()).toEqual(
      expect.arrayContaining(['Maker', 'Model', 'Features']),
    );
    await list.getByText('Pulse amplitude index (perfusion)').waitFor();
    // Only the Beurer says how the app reads it differently; the other cuff follows the specification.
    expect(await cuffDetails.locator('dt').allTextContents()).not.toContain('Model adjustments');
    await page.getByText('Details of Home cuff').click();
    const beurerDetails = list.locator('li', { hasText: 'Home cuff' }).locator('.device-details');
    await beurerDetails.getByText('Model adjustments').waitFor();
    expect(await beurerDetails.locator('dd').allTextContents()).toEqual(
      expect.arrayContaining([
        'Beurer GmbH',
        'BM85',
        [
          'User byte without its flag (Beurer BM85)',
          'Pulse rate in reversed byte order (Beurer BM85)',
          'Measurement status in reversed byte order (Beurer BM85)',
        ].join(''),
      ]),
    );
    const axe = await new AxeBuilder({ page }).include('main').analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => v.id)).toEqual([]);
    await ws.screenshot('devices-details');
  });
});
