/**
 * IT's `allowedDevices` policy decides what may be paired at a workstation: the real core, the real
 * policy parser, pairings in the encrypted database. Bluetooth is the simulated radio (there is none here).
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { parsePolicy } from '../../../main/policy/load';
import { SimulatedBleAdapter } from '../../sim/ble/simulated-adapter';
import { createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';

let core: Core | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await core?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  core = undefined;
  dataDir = undefined;
});

async function coreWithPolicy(policy: object): Promise<Core> {
  const created = await createTestCore({
    policy: { file: '/etc/vitals-desk/policy.json', ...parsePolicy(JSON.stringify(policy)) },
    devices: { bleAdapter: new SimulatedBleAdapter([], 'unsupported') },
  });
  dataDir = created.dataDir;
  return created.core;
}

describe('pairing under the IT policy', () => {
  it('refuses a device the policy does not list, with words for the nurse, and saves nothing', async () => {
    core = await coreWithPolicy({
      allowedDevices: [{ transport: 'serial', driver: 'serial.nonin-8', usbVendorId: '0403' }],
    });
    const nurse = await signInAs(core, 'nurse');
    const as = { senderId: nurse.senderId };

    const refused = await core.invoke(
      'devices.pair',
      { name: 'Scale', transport: 'serial', driver: 'serial.and-scale', address: '/dev/ttyUSB1' },
      as,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: /IT department/ } });
    const wrongVendor = await core.invoke(
      'devices.pair',
      {
        name: 'Oximeter',
        transport: 'serial',
        driver: 'serial.nonin-8',
        usbVendorId: '10c4',
        usbProductId: 'ea60',
      },
      as,
    );
    expect(wrongVendor).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const allowed = await core.invoke(
      'devices.pair',
      {
        name: 'Oximeter',
        transport: 'serial',
        driver: 'serial.nonin-8',
        usbVendorId: '0403',
        usbProductId: '6001',
      },
      as,
    );
    expect(allowed).toMatchObject({ ok: true, value: { name: 'Oximeter' } });
    const list = await core.invoke('devices.list', {}, as);
    expect(list.ok && (list.value as { devices: { name: string }[] }).devices.map((d) => d.name)).toEqual([
      'Oximeter',
    ]);
  });

  it('without allowedDevices in the policy, any supported device may be paired', async () => {
    core = await coreWithPolicy({ clinicName: 'Riverside' });
    const nurse = await signInAs(core, 'nurse');
    const paired = await core.invoke(
      'devices.pair',
      { name: 'Scale', transport: 'serial', driver: 'serial.and-scale', address: '/dev/ttyUSB1' },
      { senderId: nurse.senderId },
    );
    expect(paired).toMatchObject({ ok: true });
  });
});
