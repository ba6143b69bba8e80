/**
 * Feature characteristics read at connect, end to end below the UI: three simulated devices that send
 * their profile's real Feature bytes (test/sim/ble/devices.ts) are connected through the app's BLE
 * connector and device manager, and the device details carry their features in words. A device without
 * the characteristic, or with a broken value, connects all the same. (No Bluetooth radio here: the
 * simulated radio stands in for it.)
 */
import { describe, expect, it } from 'vitest';
import { createSimulatedDevice } from '../../../sim/ble/devices';
import { bleDesk } from '../../../support/ble-desk';

describe('device details: what each device says it can do', () => {
  it('a cuff, a scale and an oximeter at one desk each show their own features', async () => {
    const cuff = createSimulatedDevice('blood-pressure');
    const scale = createSimulatedDevice('weight-scale');
    const oximeter = createSimulatedDevice('pulse-oximeter');
    const heart = createSimulatedDevice('heart-rate');
    const { manager, pair } = bleDesk([
      cuff.peripheral,
      scale.peripheral,
      oximeter.peripheral,
      heart.peripheral,
    ]);
    const ids = [
      pair('Desk cuff', 'ble.blood-pressure', cuff.peripheral),
      pair('Scale', 'ble.weight-scale', scale.peripheral),
      pair('Bay oximeter', 'ble.pulse-oximeter', oximeter.peripheral),
      pair('Strap', 'ble.heart-rate', heart.peripheral),
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
    const { manager, logger, pair } = bleDesk([cuff.peripheral]);
    const entry = await manager.connect(pair('Desk cuff', 'ble.blood-pressure', cuff.peripheral));
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
