/**
 * The quirk table end to end below the UI: a simulated cuff that introduces itself as a Beurer BM85 in
 * its Device Information sends a frame recorded from a real BM85 (derdilla/blood-pressure-monitor-fl,
 * app/test/features/bluetooth/logic/characteristics/ble_measurement_data_test.dart, "decodes beurer
 * sample data", quoted exactly), through the app's BLE connector and device manager. A cuff of another
 * model sending the same bytes gets the standard parser, which refuses them. (No Bluetooth radio here:
 * the simulated radio stands in for it.)
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

const BM85_FRAME = Uint8Array.of(86, 106, 0, 71, 0, 0, 0, 234, 7, 8, 11, 18, 31, 0, 0, 63, 0, 0, 0);

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

const waitFor = async (predicate: () => boolean, what: string) => {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > 2000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('a Beurer BM85 at the desk', () => {
  it('its reading arrives whole, and the details say which adjustments the app made', async () => {
    const beurer = createSimulatedDevice('blood-pressure', { manufacturer: 'Beurer GmbH', model: 'BM85' });
    const other = createSimulatedDevice('blood-pressure', { manufacturer: 'Other Medical', model: 'BM85' });
    const { manager, logger } = desk(new SimulatedBleAdapter([beurer.peripheral, other.peripheral]));
    const cuffs = [
      manager.pair({
        name: 'Beurer cuff',
        transport: 'ble',
        driver: 'ble.blood-pressure',
        address: beurer.peripheral.address,
      }),
      manager.pair({
        name: 'Other cuff',
        transport: 'ble',
        driver: 'ble.blood-pressure',
        address: other.peripheral.address,
      }),
    ];
    for (const c of cuffs) await manager.connect(c.id);

    const entry = (name: string) => manager.list().devices.find((d) => d.name === name)!;
    expect(entry('Beurer cuff').info.adjustments).toEqual([
      'User byte without its flag (Beurer BM85)',
      'Pulse rate in reversed byte order (Beurer BM85)',
      'Measurement status in reversed byte order (Beurer BM85)',
    ]);
    expect(entry('Other cuff').info.adjustments).toBeUndefined();

    beurer.sendRaw(BM85_FRAME);
    other.sendRaw(BM85_FRAME);
    // The cuff's time stamp (11 Aug 2026) is from its memory, not now: it is listed apart, never the live value.
    await waitFor(
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
    await waitFor(
      () => logger.records.some((r) => r.event === 'devices.ble.measurement_problem'),
      'the other cuff’s refusal',
    );
    expect(entry('Other cuff').memory).toEqual([]);
    expect(entry('Other cuff').lastReading).toBeNull();
    await manager.close();
  });
});
