/**
 * Feature characteristics used, end to end below the UI: simulated devices (test/sim/ble/devices.ts)
 * answer the app's read of their Feature characteristic with the specification's bytes and then measure;
 * the app's BLE connector and device manager turn what they send into readings. A morning at one desk:
 * two scales of different resolution, a cuff that detects nothing, and two oximeters that can set
 * different status bits. (No Bluetooth radio here: the simulated radio stands in for it.)
 */
import { describe, expect, it } from 'vitest';
import { readingValuesText } from '../../../../shared/devices/reading-words';
import { createSimulatedDevice } from '../../../sim/ble/devices';
import { bleDesk } from '../../../support/ble-desk';
import { until } from '../../../support/until';

// PLX Spot-check: SpO2 97, pulse 71, measurement status 0x4000 (questionable), sensor status 0x000020 (low perfusion).
const SPOT_FLAGGED = Uint8Array.of(0x06, 0x61, 0x00, 0x47, 0x00, 0x00, 0x40, 0x20, 0x00, 0x00);
// Blood Pressure Measurement: 120/80, MAP 93, pulse 68, user 1, status 0x0027 (movement, loose cuff,
// irregular pulse, improper position).
const BP_ALL_FLAGS = Uint8Array.of(0x1c, 0x78, 0x00, 0x50, 0x00, 0x5d, 0x00, 0x44, 0x00, 0x01, 0x27, 0x00);

describe('a device’s features change its readings', () => {
  it('scales show their own precision, the cuff and oximeters only the findings they can detect', async () => {
    // The simulated scale declares 0.05 kg (code 4); the bay scale is set to 0.5 kg (code 1).
    const fine = createSimulatedDevice('weight-scale');
    const coarse = createSimulatedDevice('weight-scale');
    coarse.peripheral.setValue('181d', '2a9e', Uint8Array.of(0x08, 0x00, 0x00, 0x00));
    // A cuff whose Blood Pressure Feature is 0x0000: no detection, no multiple bonds.
    const cuff = createSimulatedDevice('blood-pressure');
    cuff.peripheral.setValue('1810', '2a49', Uint8Array.of(0x00, 0x00));
    // The simulated oximeter supports status bits 5, 6, 8 and sensor bits 8, 11: neither questionable
    // (bit 14) nor low perfusion (sensor bit 5). The bay oximeter supports exactly those two.
    const plain = createSimulatedDevice('pulse-oximeter');
    const bay = createSimulatedDevice('pulse-oximeter');
    bay.peripheral.setValue('1822', '2a60', Uint8Array.of(0x03, 0x00, 0x00, 0x40, 0x20, 0x00, 0x00));
    const { manager, pair, entry } = bleDesk([fine, coarse, cuff, plain, bay].map((d) => d.peripheral));
    const ids = [
      pair('Desk scale', 'ble.weight-scale', fine.peripheral),
      pair('Bay scale', 'ble.weight-scale', coarse.peripheral),
      pair('Desk cuff', 'ble.blood-pressure', cuff.peripheral),
      pair('Desk oximeter', 'ble.pulse-oximeter', plain.peripheral),
      pair('Bay oximeter', 'ble.pulse-oximeter', bay.peripheral),
    ];
    for (const id of ids) await manager.connect(id);
    const latest = (name: string) => entry(name).lastReading;

    fine.measureWeight({ kg: 72.35 });
    coarse.measureWeight({ kg: 72.5 });
    cuff.sendRaw(BP_ALL_FLAGS);
    plain.sendRaw(SPOT_FLAGGED);
    bay.sendRaw(SPOT_FLAGGED);
    await until(
      () => ['Desk scale', 'Bay scale', 'Desk cuff', 'Desk oximeter', 'Bay oximeter'].every((n) => latest(n)),
      'a reading from every device',
    );

    const desk005 = latest('Desk scale')!;
    expect(desk005.values).toEqual([{ kind: 'bodyWeight', value: 72.35, unit: 'kg', decimals: 2 }]);
    expect(readingValuesText(desk005.values)).toBe('72.35 kg');
    expect(desk005.notes).toEqual(['Scale resolution 0.05 kg']);
    const bay05 = latest('Bay scale')!;
    expect(readingValuesText(bay05.values)).toBe('72.5 kg');
    expect(bay05.notes).toEqual(['Scale resolution 0.5 kg']);

    const bp = latest('Desk cuff')!;
    expect(bp.values.map((v) => [v.kind, v.value])).toEqual([
      ['systolic', 120],
      ['diastolic', 80],
      ['meanArterialPressure', 93],
      ['heartRate', 68],
    ]);
    expect(bp.notes).toEqual([
      'The cuff sent a user number although it says it supports only one user (a device fault); check whose measurement this is',
    ]);

    expect(latest('Desk oximeter')!.notes).toEqual([]);
    expect(latest('Bay oximeter')!.notes).toEqual([
      'The oximeter flagged this measurement as questionable',
      'Low perfusion',
    ]);
    await manager.close();
  });

  it('a scale whose Feature cannot be read weighs as before: the value as sent, shown to tenths', async () => {
    const scale = createSimulatedDevice('weight-scale');
    scale.peripheral.setValue('181d', '2a9e', Uint8Array.of(0x20)); // cut short
    const { manager, pair } = bleDesk([scale.peripheral]);
    await manager.connect(pair('Scale', 'ble.weight-scale', scale.peripheral));
    scale.measureWeight({ kg: 72.35 });
    await until(() => manager.list().devices[0]!.lastReading !== null, 'the weighing');
    const r = manager.list().devices[0]!.lastReading!;
    expect(r.values).toEqual([{ kind: 'bodyWeight', value: 72.35, unit: 'kg' }]);
    expect(r.notes).toEqual([]);
    expect(readingValuesText(r.values)).toBe('72.4 kg');
    await manager.close();
  });
});
