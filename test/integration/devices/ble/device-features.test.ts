/**
 * Feature characteristics read at connect, end to end below the UI: three simulated devices that send
 * their profile's real Feature bytes (test/sim/ble/devices.ts) are connected through the app's BLE
 * connector and device manager, and the device details carry their features in words. A device without
 * the characteristic, or with a broken value, connects all the same. (No Bluetooth radio here: the
 * simulated radio stands in for it.)
 */
import { describe, expect, it } from 'vitest';
import { bluetoothFromAdapter } from '../../../../main/devices/bluetooth';
import { createDeviceManager } from '../../../../main/devices/manager';
import { createEventBus } from '../../../../main/ipc/event-bus';
import { memoryLogger } from '../../../../main/logging/logger';
import { systemClock } from '../../../../main/platform/clock';
import { createSimulatedDevice } from '../../../sim/ble/devices';
import { SimulatedBleAdapter } from '../../../sim/ble/simulated-adapter';
import { memoryDeviceStore } from '../../../support/memory-device-store';

function desk(adapter: SimulatedBleAdapter) {
  const logger = memoryLogger();
  const manager = createDeviceManager({
    store: memoryDeviceStore(),
    serial: {
      connector: { transport: 'serial', connect: () => Promise.reject(new Error('none')) },
      drivers: [],
      listPorts: async () => ({ ports: [], complete: true }),
    },
    bluetooth: bluetoothFromAdapter({ adapter, clock: systemClock, logger }),
    events: createEventBus(),
    logger,
  });
  return { manager, logger };
}

describe('device details: what each device says it can do', () => {
  it('a cuff, a scale and an oximeter at one desk each show their own features', async () => {
    const cuff = createSimulatedDevice('blood-pressure');
    const scale = createSimulatedDevice('weight-scale');
    const oximeter = createSimulatedDevice('pulse-oximeter');
    const heart = createSimulatedDevice('heart-rate');
    const { manager } = desk(
      new SimulatedBleAdapter([cuff.peripheral, scale.peripheral, oximeter.peripheral, heart.peripheral]),
    );
    const pair = (name: string, driver: string, address: string) =>
      manager.pair({ name, transport: 'ble', driver, address });
    const ids = [
      pair('Desk cuff', 'ble.blood-pressure', cuff.peripheral.address).id,
      pair('Scale', 'ble.weight-scale', scale.peripheral.address).id,
      pair('Bay oximeter', 'ble.pulse-oximeter', oximeter.peripheral.address).id,
      pair('Strap', 'ble.heart-rate', heart.peripheral.address).id,
    ];
    for (const id of ids) await manager.connect(id);
    const features = manager.list().devices.map((d) => [d.name, d.info.features]);
    expect(features).toEqual([
      ['Desk cuff', ['Detects body movement', 'Detects a loose cuff', 'Detects irregular pulse']],
      [
        'Scale',
        [
          'Weighs to 0.05 kg (0.1 lb)',
          'Measures height to 0.01 m (1 in)',
          'Sends BMI',
          'Several users',
          'Time-stamps weighings',
        ],
      ],
      [
        'Bay oximeter',
        [
          'Stores spot checks',
          'Time-stamps spot checks',
          'Pulse amplitude index (perfusion)',
          'Reports measurement status',
          'Reports device and sensor status',
        ],
      ],
      // Heart Rate has no Feature characteristic of this kind.
      ['Strap', undefined],
    ]);
    await manager.close();
  });

  it('a cuff whose feature value is cut short connects all the same, without features, and the log says why', async () => {
    const cuff = createSimulatedDevice('blood-pressure');
    cuff.peripheral.setValue('1810', '2a49', Uint8Array.of(0x07));
    const { manager, logger } = desk(new SimulatedBleAdapter([cuff.peripheral]));
    const d = manager.pair({
      name: 'Desk cuff',
      transport: 'ble',
      driver: 'ble.blood-pressure',
      address: cuff.peripheral.address,
    });
    const entry = await manager.connect(d.id);
    expect(entry.status.state).toBe('connected');
    expect(entry.info.features).toBeUndefined();
    expect(logger.records).toContainEqual(
      expect.objectContaining({
        event: 'devices.ble.features_unreadable',
        fields: { driver: 'ble.blood-pressure', code: 'TRUNCATED' },
      }),
    );
    await manager.close();
  });
});
