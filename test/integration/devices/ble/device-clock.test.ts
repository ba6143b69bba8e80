/**
 * The BLE connector and a device's own clock (Current Time Service 0x1805/0x2A2B), stored records and
 * shared-device users, with simulated peripherals (no radio here). The workstation's clock is the real
 * one, because the simulated device's clock runs from it at its offset.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bleConnector } from '../../../../main/devices/ble/connector';
import type { AllowedDevice, DeviceConnection } from '../../../../main/devices/types';
import { memoryLogger } from '../../../../main/logging/logger';
import { systemClock } from '../../../../main/platform/clock';
import { createSimulatedDevice, CUFF_CYCLE, type SimProfile } from '../../../sim/ble/devices';
import { BLE_DRIVER_OF } from '../../../sim/ble/scenario';
import { SimulatedBleAdapter } from '../../../sim/ble/simulated-adapter';
import { recordingSink } from './sink';

const open: DeviceConnection[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

const HOUR = 60 * 60_000;

function setup(
  profile: SimProfile,
  options: Parameters<typeof createSimulatedDevice>[1] = {},
  setOnConnect = false,
) {
  const sim = createSimulatedDevice(profile, options);
  const clocks: { writable: boolean; offsetMs?: number | undefined }[] = [];
  const sink = Object.assign(recordingSink(), { clock: (c: (typeof clocks)[number]) => void clocks.push(c) });
  const connector = bleConnector({
    adapter: new SimulatedBleAdapter([sim.peripheral]),
    clock: systemClock,
    logger: memoryLogger(),
    clockPolicy: () => ({ toleranceMs: 5 * 60_000, setOnConnect }),
  });
  const device: AllowedDevice = {
    id: `dev-${profile}`,
    name: 'Sim',
    transport: 'ble',
    driver: BLE_DRIVER_OF[profile],
    address: sim.peripheral.address,
  };
  return {
    sim,
    sink,
    clocks,
    connect: async () => {
      const c = await connector.connect(device, sink);
      open.push(c);
      return c;
    },
  };
}

describe('device clocks over Bluetooth', () => {
  it('reads the clock at connection: a live reading from a cuff two hours behind is filed at receipt, with the offset', async () => {
    const { sim, sink, clocks, connect } = setup('blood-pressure', { clockOffsetMs: -2 * HOUR });
    await connect();
    expect(clocks).toHaveLength(1);
    expect(clocks[0]!.writable).toBe(true);
    expect(Math.round(clocks[0]!.offsetMs! / 60_000)).toBe(-120);
    for (const mmHg of CUFF_CYCLE) sim.sendCuffPressure(mmHg);
    sim.measureBloodPressure({ systolic: 124, diastolic: 79 });
    await sink.waitFor(() => sink.readings.length === 1, 'the reading');
    const reading = sink.readings[0]!;
    expect(reading.origin).toBe('live');
    expect(Math.abs(Date.parse(reading.measuredAt) - Date.parse(reading.receivedAt))).toBe(0);
    expect(Math.round(reading.provenance.clockOffsetMs! / 60_000)).toBe(-120);
    expect(reading.notes).toEqual(['Device clock is 2 hours behind — time of receipt used']);
  });

  it('sets the clock on every connection when the policy says so; then the device’s own time stands', async () => {
    const { sim, sink, clocks, connect } = setup('blood-pressure', { clockOffsetMs: -2 * HOUR }, true);
    await connect();
    await sink.waitFor(() => Math.abs(sim.clockOffsetMs) < 2_000, 'the device clock set');
    expect(clocks.at(-1)!.offsetMs).toBe(0);
    sim.measureBloodPressure({ systolic: 124, diastolic: 79 });
    await sink.waitFor(() => sink.readings.length === 1, 'the reading');
    expect(sink.readings[0]!.notes).toEqual([]);
    expect(sink.readings[0]!.provenance.clockOffsetMs).toBeUndefined();
  });

  it('sets the clock when the nurse asks; a read-only clock offers no setting', async () => {
    const writable = setup('blood-pressure', { clockOffsetMs: 3 * HOUR });
    const connection = await writable.connect();
    expect(connection.setClock).toBeDefined();
    await connection.setClock!();
    await writable.sink.waitFor(() => Math.abs(writable.sim.clockOffsetMs) < 2_000, 'the device clock set');
    expect(writable.clocks.at(-1)).toEqual({ writable: true, offsetMs: 0 });

    const readOnly = setup('blood-pressure', {
      clockOffsetMs: 3 * HOUR,
      clockWritable: false,
      address: 'c0:ff:ee:00:30:02',
    });
    const fixed = await readOnly.connect();
    expect(fixed.setClock).toBeUndefined();
    expect(readOnly.clocks[0]!.writable).toBe(false);
  });

  it('a backlog sent as the cuff connects is from its memory, with its own times', async () => {
    const { encodeBloodPressure, sfloat, simDateTime, SFLOAT_SPECIALS } =
      await import('../../../sim/ble/encoders');
    const yesterday = new Date(Date.now() - 24 * HOUR);
    const { sink, connect } = setup('blood-pressure', {
      backlog: [
        encodeBloodPressure({
          systolic: sfloat(141),
          diastolic: sfloat(88),
          meanArterialPressure: SFLOAT_SPECIALS.NaN,
          timestamp: simDateTime(yesterday),
        }),
      ],
    });
    await connect();
    await sink.waitFor(() => sink.readings.length === 1, 'the backlog');
    expect(sink.readings[0]).toMatchObject({ origin: 'memory' });
    expect(Math.abs(Date.parse(sink.readings[0]!.measuredAt) - yesterday.getTime())).toBeLessThan(1_000);
  });

  it('glucose records fetched with RACP are from the meter’s memory', async () => {
    const { sink, connect } = setup('glucose');
    await connect();
    await sink.waitFor(() => sink.readings.length === 3, 'three records');
    expect(sink.readings.map((r) => r.origin)).toEqual(['memory', 'memory', 'memory']);
  });

  it('a scale says whose weight it is (User ID); the unknown user 0xFF is no user', async () => {
    const { sim, sink, connect } = setup('weight-scale');
    await connect();
    sim.measureWeight({ kg: 72.5, userId: 3 });
    sim.measureWeight({ kg: 80, userId: 0xff });
    sim.measureWeight({ kg: 81 });
    await sink.waitFor(() => sink.readings.length === 3, 'three weighings');
    expect(sink.readings.map((r) => r.deviceUser)).toEqual([3, undefined, undefined]);
  });
});
