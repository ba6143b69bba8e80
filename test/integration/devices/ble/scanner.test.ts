/** Scanning with the simulated radio (the mock of the Bluetooth hardware this machine lacks). */
import { describe, expect, it } from 'vitest';
import { createBleScanner } from '../../../../main/devices/ble/scanner';
import { createSimulatedDevice } from '../../../sim/ble/devices';
import { SimulatedBleAdapter, SimulatedPeripheral } from '../../../sim/ble/simulated-adapter';

describe('BLE scanner', () => {
  it('reports health devices with name, address, rssi, services and fitting drivers; ignores others', async () => {
    const oximeter = createSimulatedDevice('pulse-oximeter');
    oximeter.peripheral.rssi = -40;
    const cuff = createSimulatedDevice('blood-pressure');
    cuff.peripheral.rssi = -70;
    const headphones = new SimulatedPeripheral({
      address: 'aa:aa:aa:aa:aa:aa',
      name: 'Headphones',
      services: [{ uuid: '110b', characteristics: [] }],
    });
    const adapter = new SimulatedBleAdapter([cuff.peripheral, oximeter.peripheral, headphones]);
    const seen: string[] = [];
    const found = await createBleScanner(adapter).scan({
      durationMs: 120,
      onFound: (d) => seen.push(d.address),
    });
    expect(found).toEqual([
      {
        address: oximeter.peripheral.address,
        name: 'Sim Oximeter',
        rssi: -40,
        services: ['1822'],
        drivers: ['ble.pulse-oximeter'],
      },
      {
        address: cuff.peripheral.address,
        name: 'Sim BP Cuff',
        rssi: -70,
        services: ['1810'],
        drivers: ['ble.blood-pressure'],
      },
    ]);
    expect(seen).not.toContain('aa:aa:aa:aa:aa:aa');
  });

  it('refuses to scan with the radio off, saying so', async () => {
    const adapter = new SimulatedBleAdapter([], 'poweredOff');
    adapter.setState('poweredOff', 'Bluetooth is switched off on this computer.');
    await expect(createBleScanner(adapter).scan({ durationMs: 10 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: /switched off/,
    });
  });
});
