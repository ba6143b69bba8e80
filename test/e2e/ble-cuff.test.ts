/**
 * A Bluetooth blood-pressure cuff at the intake desk: the real renderer and core, with the simulated
 * radio in place of a Bluetooth adapter (this machine has none) and a simulated cuff sending the
 * Blood Pressure Service's real bytes. The nurse sees the cuff pressure while it measures, then the
 * result, and accepts it.
 */
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import type { Observation, Patient } from '../../shared/records';
import { createSimulatedDevice, CUFF_CYCLE } from '../sim/ble/devices';
import { encodeBloodPressure, sfloat } from '../sim/ble/encoders';
import { SimulatedBleAdapter } from '../sim/ble/simulated-adapter';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { openPatientAtIntake, startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('Bluetooth blood-pressure cuff at intake', () => {
  it('shows the cuff pressure while measuring, then the result with what the cuff noticed, to accept', async () => {
    const cuff = createSimulatedDevice('blood-pressure', { address: 'c0:ff:ee:00:10:01' });
    ws = await startWorkstation({
      route: 'intake',
      signIn: 'nurse',
      core: { devices: { bleAdapter: new SimulatedBleAdapter([cuff.peripheral]) } },
    });
    const { page, core } = ws;
    const setup = await signInAs(core, 'nurse', 'setup-window');
    await call(core, setup.senderId, 'devices.pair', {
      name: 'Desk cuff',
      transport: 'ble',
      driver: 'ble.blood-pressure',
      address: cuff.peripheral.address,
    });
    const patient = await call<Patient>(core, setup.senderId, 'patients.register', {
      mrn: 'MRN-44120',
      family: 'Haddad',
      given: 'Samir',
      birthDate: '1958-09-03',
      sex: 'male',
    });
    await page.reload();
    await openPatientAtIntake(page, 'MRN-44120', /HADDAD, Samir/);

    await page.getByRole('button', { name: 'Connect Desk cuff' }).click();
    await page.getByTestId('device-list').getByText('Connected', { exact: true }).waitFor();

    const card = page.getByTestId('vital-bloodPressure');
    const progress = card.getByTestId('vital-bloodPressure-progress');
    for (const mmHg of CUFF_CYCLE.slice(0, 4)) cuff.sendCuffPressure(mmHg);
    await expect.poll(() => progress.textContent()).toBe('Measuring on Desk cuff: cuff at 175 mmHg');
    for (const mmHg of CUFF_CYCLE.slice(4)) cuff.sendCuffPressure(mmHg);
    await expect.poll(() => progress.textContent()).toBe('Measuring on Desk cuff: cuff at 65 mmHg');
    // Progress is never something to accept.
    expect(await card.getByTestId('vital-bloodPressure-live').count()).toBe(0);
    const axe = await new AxeBuilder({ page }).include('main').analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => v.id)).toEqual([]);
    await ws.screenshot('intake-ble-cuff-measuring');

    // The result, with the measurement status bit "irregular pulse" set (§3.31.2.6 bit 2).
    cuff.sendRaw(
      encodeBloodPressure({
        systolic: sfloat(122),
        diastolic: sfloat(78),
        meanArterialPressure: sfloat(93),
        pulseRate: sfloat(64),
        status: 0b100,
      }),
    );
    await card.getByTestId('vital-bloodPressure-live-value').waitFor();
    expect(await card.getByTestId('vital-bloodPressure-live-notes').textContent()).toBe(
      'Irregular pulse detected',
    );
    expect(await card.getByTestId('vital-bloodPressure-live-value').textContent()).toBe('122/78 mmHg');
    expect(await progress.count()).toBe(0);
    await page.keyboard.press('Alt+A');
    await card.getByTestId('vital-bloodPressure-value').waitFor();
    // Kept with the value once accepted, for whoever reads it later.
    expect(await card.getByTestId('vital-bloodPressure-device-notes').textContent()).toBe(
      'Irregular pulse detected',
    );
    await ws.screenshot('intake-ble-cuff-accepted');

    const latest = await call<Observation[]>(core, setup.senderId, 'observations.latest', {
      patientId: patient.id,
    });
    expect(latest.find((o) => o.kind === 'bloodPressure')).toMatchObject({
      method: 'device',
      deviceNotes: ['Irregular pulse detected'],
      device: { transport: 'ble', driver: 'ble.blood-pressure', manufacturer: 'Simulated Medical' },
    });
  });
});
