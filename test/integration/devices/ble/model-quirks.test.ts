/**
 * The quirk table end to end below the UI: a simulated cuff that introduces itself as a Beurer BM85 in
 * its Device Information sends a frame recorded from a real BM85 (derdilla/blood-pressure-monitor-fl,
 * app/test/features/bluetooth/logic/characteristics/ble_measurement_data_test.dart, "decodes beurer
 * sample data", quoted exactly), through the app's BLE connector and device manager. A cuff of another
 * model sending the same bytes gets the standard parser, which refuses them. (No Bluetooth radio here:
 * the simulated radio stands in for it.)
 */
import { describe, expect, it } from 'vitest';
import { createSimulatedDevice } from '../../../sim/ble/devices';
import { bleDesk } from '../../../support/ble-desk';
import { until } from '../../../support/until';

const BM85_FRAME = Uint8Array.of(86, 106, 0, 71, 0, 0, 0, 234, 7, 8, 11, 18, 31, 0, 0, 63, 0, 0, 0);

describe('a Beurer BM85 at the desk', () => {
  it('its reading arrives whole, and the details say which adjustments the app made', async () => {
    const beurer = createSimulatedDevice('blood-pressure', { manufacturer: 'Beurer GmbH', model: 'BM85' });
    const other = createSimulatedDevice('blood-pressure', { manufacturer: 'Other Medical', model: 'BM85' });
    const { manager, logger, pair, entry } = bleDesk([beurer.peripheral, other.peripheral]);
    const cuffs = [
      pair('Beurer cuff', 'ble.blood-pressure', beurer.peripheral),
      pair('Other cuff', 'ble.blood-pressure', other.peripheral),
    ];
    for (const id of cuffs) await manager.connect(id);

    expect(entry('Beurer cuff').info.adjustments).toEqual([
      'User byte without its flag (Beurer BM85)',
      'Pulse rate in reversed byte order (Beurer BM85)',
      'Measurement status in reversed byte order (Beurer BM85)',
    ]);
    expect(entry('Other cuff').info.adjustments).toBeUndefined();

    beurer.sendRaw(BM85_FRAME);
    other.sendRaw(BM85_FRAME);
    // The cuff's time stamp (11 Aug 2026) is from its memory, not now: it is listed apart, never the live value.
    await until(
      () => entry('Beurer cuff').memory.length > 0 || entry('Beurer cuff').lastReading !== null,
      'the BM85 reading',
    );
    const reading = entry('Beurer cuff').memory[0] ?? entry('Beurer cuff').lastReading!;
    expect(Object.fromEntries(reading.values.map((v) => [v.kind, v.value]))).toEqual({
      systolic: 106,
      diastolic: 71,
      heartRate: 63,
    });
    expect(reading.deviceUser).toBe(0);
    expect(reading.provenance).toMatchObject({ manufacturer: 'Beurer GmbH', model: 'BM85' });

    // The same bytes from a model without quirks: the standard parser refuses them, nothing is kept.
    await until(
      () => logger.records.some((r) => r.event === 'devices.ble.measurement_problem'),
      'the other cuff’s refusal',
    );
    expect(entry('Other cuff').memory).toEqual([]);
    expect(entry('Other cuff').lastReading).toBeNull();
    await manager.close();
  });
});
