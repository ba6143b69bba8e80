/**
 * The BLE connector against simulated peripherals. The simulated adapter is the mock of the radio
 * (this machine has no Bluetooth hardware); everything above it — connector, drivers, parsers,
 * plausibility — is the real code, and the peripherals send the specification's bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deviceReadingSchema } from '../../../../shared/devices/reading';
import { bleConnector } from '../../../../main/devices/ble/connector';
import { memoryLogger } from '../../../../main/logging/logger';
import { manualClock } from '../../../../main/platform/clock';
import type { AllowedDevice, DeviceConnection } from '../../../../main/devices/types';
import {
  createSimulatedDevice,
  CUFF_CYCLE,
  NORMAL_EXPECTED,
  SIM_PROFILES,
  type SimProfile,
} from '../../../sim/ble/devices';
import { BLE_DRIVER_OF } from '../../../sim/ble/scenario';
import { SimulatedBleAdapter } from '../../../sim/ble/simulated-adapter';
import { recordingSink, settle } from './sink';

const open: DeviceConnection[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

function setup(profile: SimProfile) {
  const sim = createSimulatedDevice(profile, { battery: 64, serial: `SER-${profile}` });
  const adapter = new SimulatedBleAdapter([sim.peripheral]);
  const logger = memoryLogger();
  const clock = manualClock(new Date('2025-06-02T12:00:00Z'));
  let n = 0;
  const connector = bleConnector({ adapter, clock, logger, newReadingId: () => `r${++n}` });
  const device: AllowedDevice = {
    id: `dev-${profile}`,
    name: `Sim ${profile}`,
    transport: 'ble',
    driver: BLE_DRIVER_OF[profile],
    address: sim.peripheral.address,
  };
  return { sim, adapter, logger, connector, device };
}

describe('BLE connector with simulated peripherals', () => {
  it.each(SIM_PROFILES)('%s: readings with provenance, battery and device information', async (profile) => {
    const { sim, connector, device } = setup(profile);
    const sink = recordingSink();
    open.push(await connector.connect(device, sink));
    expect(sink.statuses.map((s) => s.state).slice(0, 2)).toEqual(['connecting', 'connected']);
    expect(sink.infos[0]).toEqual({
      manufacturer: 'Simulated Medical',
      model: expect.any(String),
      serial: `SER-${profile}`,
      firmware: '1.4.2',
    });
    expect(sink.batteries).toEqual([64]);

    if (profile !== 'glucose') sim.send('normal'); // glucose delivers its stored records through the RACP
    await sink.waitFor(() => sink.readings.length > 0, 'a reading');
    const reading = deviceReadingSchema.parse(sink.readings[0]);
    expect(reading.provenance).toMatchObject({
      deviceId: device.id,
      transport: 'ble',
      driver: device.driver,
      manufacturer: 'Simulated Medical',
      serial: `SER-${profile}`,
      firmware: '1.4.2',
      address: sim.peripheral.address,
    });
    const expected = NORMAL_EXPECTED[profile];
    expect(reading.values.map((v) => v.kind).sort()).toEqual(Object.keys(expected).sort());
    for (const v of reading.values) expect(v.value).toBeCloseTo(expected[v.kind]!, 6);
    expect(sink.statuses.at(-1)).toEqual({ state: 'reading' });
  });

  it.each(SIM_PROFILES)(
    '%s: garbage, truncated, out-of-range and sensor-off frames produce no reading',
    async (profile) => {
      const { sim, connector, device, logger } = setup(profile);
      const sink = recordingSink();
      open.push(await connector.connect(device, sink));
      await settle();
      const before = sink.readings.length; // glucose: stored records already fetched
      for (const scenario of ['garbage', 'truncated', 'out-of-range', 'sensor-off'] as const) {
        expect(sim.send(scenario), scenario).toBe(true);
      }
      await settle();
      expect(sink.readings.length).toBe(before);
      const problems = logger.records
        .filter((r) => r.event === 'devices.ble.measurement_problem')
        .map((r) => r.fields?.code);
      expect(problems.length).toBeGreaterThan(0);
      // Nothing clinical reaches the log: only codes and the driver id.
      for (const r of logger.records)
        expect(JSON.stringify(r.fields ?? {})).not.toMatch(/SER-|Simulated|\d{2,}\.\d/);
      // A good frame after the bad ones is still read (resync).
      if (profile !== 'glucose') {
        sim.send('normal');
        await sink.waitFor(() => sink.readings.length === before + 1, 'a reading after garbage');
      }
    },
  );

  it('goes from reading back to connected when the sensor comes off, and reads again when it is back', async () => {
    const { sim, connector, device } = setup('pulse-oximeter');
    const sink = recordingSink();
    open.push(await connector.connect(device, sink));
    sim.send('normal');
    await sink.waitFor(() => sink.statuses.at(-1)?.state === 'reading', 'reading');
    sim.send('sensor-off');
    await sink.waitFor(() => sink.statuses.at(-1)?.state === 'connected', 'back to connected');
    sim.send('normal');
    await sink.waitFor(() => sink.readings.length === 2, 'second reading');
    expect(sink.statuses.map((s) => s.state)).toEqual([
      'connecting',
      'connected',
      'reading',
      'connected',
      'reading',
    ]);
  });

  it("a backlog on connect goes to the device's memory; a live reading from a wrong clock is filed at receipt", async () => {
    const sim = createSimulatedDevice('blood-pressure', { battery: 64 });
    const adapter = new SimulatedBleAdapter([sim.peripheral]);
    // A fake clock: the workstation's "now" is 2025-06-02 12:00 local; nothing moves unless the test says.
    const clock = manualClock(new Date(2025, 5, 2, 12, 0, 0));
    let n = 0;
    const connector = bleConnector({ adapter, clock, logger: memoryLogger(), newReadingId: () => `r${++n}` });
    const device: AllowedDevice = {
      id: 'dev-cuff',
      name: 'Cuff',
      transport: 'ble',
      driver: 'ble.blood-pressure',
      address: sim.peripheral.address,
    };
    const sink = recordingSink();
    open.push(await connector.connect(device, sink));
    const { encodeBloodPressure, sfloat } = await import('../../../sim/ble/encoders');
    const bp = (timestamp: { year: number; month: number; day: number; hours: number; minutes: number }) =>
      encodeBloodPressure({
        systolic: sfloat(120),
        diastolic: sfloat(80),
        meanArterialPressure: sfloat(93),
        timestamp: { ...timestamp, seconds: 0 },
      });

    // Queued in the cuff, sent as it connects: stamped 10:15 this morning → from the device's memory.
    sim.sendRaw(bp({ year: 2025, month: 6, day: 2, hours: 10, minutes: 15 }));
    await sink.waitFor(() => sink.readings.length === 1, 'backlog reading');
    expect(sink.readings[0]).toMatchObject({
      origin: 'memory',
      measuredAt: new Date(2025, 5, 2, 10, 15, 0).toISOString(),
    });

    // A minute later the cuff measures: its clock says 10:16, so it is 1 hour 45 minutes behind.
    clock.advance(60_000);
    sim.sendRaw(bp({ year: 2025, month: 6, day: 2, hours: 10, minutes: 16 }));
    await sink.waitFor(() => sink.readings.length === 2, 'live reading');
    expect(sink.readings[1]).toMatchObject({
      origin: 'live',
      measuredAt: new Date(2025, 5, 2, 12, 1, 0).toISOString(),
      provenance: { clockOffsetMs: -105 * 60_000 },
    });
    expect(sink.readings[1]!.notes).toContain(
      'Device clock is 1 hour 45 minutes behind — time of receipt used',
    );

    // A clock years ahead: the time of receipt, and the note says ahead.
    sim.sendRaw(bp({ year: 2031, month: 1, day: 1, hours: 0, minutes: 0 }));
    await sink.waitFor(() => sink.readings.length === 3, 'third reading');
    expect(sink.readings[2]).toMatchObject({
      origin: 'live',
      measuredAt: new Date(2025, 5, 2, 12, 1, 0).toISOString(),
    });
    expect(sink.readings[2]!.notes.at(-1)).toMatch(
      /^Device clock is 5 years 7 months ahead — time of receipt used$/,
    );
  });

  it('blood pressure: shows the cuff pressure while measuring, as progress only, then the reading', async () => {
    const { sim, connector, device } = setup('blood-pressure');
    const sink = recordingSink();
    open.push(await connector.connect(device, sink));
    for (const mmHg of CUFF_CYCLE) sim.sendCuffPressure(mmHg);
    // A cuff frame with no pressure in it (NaN) is skipped, not shown as 0.
    sim.sendRaw(Uint8Array.of(0x00, 0xff, 0x07, 0xff, 0x07, 0xff, 0x07), '2a36');
    await sink.waitFor(() => sink.cuffPressures.length === CUFF_CYCLE.length, 'cuff pressures');
    await settle();
    expect(sink.cuffPressures).toEqual(CUFF_CYCLE);
    // Progress is not a reading and does not change the device's state.
    expect(sink.readings).toEqual([]);
    expect(sink.statuses.map((s) => s.state)).toEqual(['connecting', 'connected']);
    sim.send('normal');
    await sink.waitFor(() => sink.readings.length === 1, 'the reading');
    expect(sink.readings[0]!.values.map((v) => [v.kind, v.value])).toEqual([
      ['systolic', 122],
      ['diastolic', 78],
      ['meanArterialPressure', 93],
      ['heartRate', 64],
    ]);
  });

  it('reports low battery as it changes', async () => {
    const { sim, connector, device } = setup('pulse-oximeter');
    const sink = recordingSink();
    open.push(await connector.connect(device, sink));
    sim.setBattery(9);
    await sink.waitFor(() => sink.batteries.at(-1) === 9, 'battery 9%');
    sim.setBattery(250); // reserved value: not shown
    await settle();
    expect(sink.batteries).toEqual([64, 9]);
  });

  it('says disconnected when the peripheral goes away, and reads again after the manager reconnects', async () => {
    const { sim, connector, device } = setup('heart-rate');
    const sink = recordingSink();
    const first = await connector.connect(device, sink);
    sim.send('normal');
    await sink.waitFor(() => sink.readings.length === 1, 'first reading');

    sim.peripheral.dropLink();
    await sink.waitFor(() => sink.statuses.at(-1)?.state === 'disconnected', 'disconnected');
    expect(sim.send('normal')).toBe(false); // nobody listening
    await first.close();
    // Said once: closing a link that already dropped does not repeat it.
    expect(sink.statuses.filter((s) => s.state === 'disconnected')).toHaveLength(1);

    // While out of range, connecting fails with a sentence for the nurse.
    await expect(connector.connect(device, sink)).rejects.toMatchObject({ code: 'DEVICE' });
    expect(sink.statuses.at(-1)).toMatchObject({ state: 'error' });

    sim.peripheral.comeBack();
    open.push(await connector.connect(device, sink));
    expect(sim.peripheral.connectCount).toBe(2);
    sim.send('normal');
    await sink.waitFor(() => sink.readings.length === 2, 'reading after reconnect');
    expect(new Set(sink.readings.map((r) => r.readingId)).size).toBe(2);
  });

  it('glucose: fetches all stored records through the RACP, then only newer ones after a reconnect', async () => {
    const { sim, connector, device, logger } = setup('glucose');
    const sink = recordingSink();
    const first = await connector.connect(device, sink);
    await sink.waitFor(() => sink.readings.length === 3, 'three stored records');
    expect(sink.readings.map((r) => r.values[0]?.value)).toEqual([95, 110, 132]);
    // The meter's own time (base time + offset minutes) is the measurement time.
    expect(sink.readings[1]?.measuredAt).toBe(new Date(2025, 5, 2, 10, 17, 0).toISOString());
    await sink.waitFor(
      () => logger.records.some((r) => r.event === 'devices.ble.records_fetched'),
      'RACP success',
    );
    await first.close();

    const { encodeGlucose, sfloat } = await import('../../../sim/ble/encoders');
    sim.records.push(
      encodeGlucose({
        sequenceNumber: 4,
        baseTime: { year: 2025, month: 6, day: 3, hours: 8, minutes: 0, seconds: 0 },
        concentration: { value: sfloat(61, -4), molPerL: true, type: 1, location: 1 }, // 6.1 mmol/L
      }),
    );
    open.push(await connector.connect(device, sink));
    await sink.waitFor(() => sink.readings.length === 4, 'the new record only');
    await settle();
    expect(sink.readings).toHaveLength(4);
    expect(sink.readings[3]?.values[0]?.value).toBeCloseTo(6.1 * 18.016, 6);

    // A meter whose memory was cleared numbers from 1 again: a new record with an old number still comes through.
    sim.records.splice(
      0,
      sim.records.length,
      encodeGlucose({
        sequenceNumber: 1,
        baseTime: { year: 2025, month: 6, day: 4, hours: 7, minutes: 30, seconds: 0 },
        concentration: { value: sfloat(88, -5), type: 1, location: 1 },
      }),
    );
    await open.pop()?.close();
    open.push(await connector.connect(device, sink));
    await sink.waitFor(() => sink.readings.length === 5, 'the renumbered record');
    expect(sink.readings[4]?.values[0]?.value).toBe(88);
  });

  it('glucose: a record carries the meal context that follows it; one whose context never comes still arrives', async () => {
    const { encodeGlucose, encodeGlucoseContext, sfloat } = await import('../../../sim/ble/encoders');
    const baseTime = { year: 2025, month: 6, day: 2, hours: 7, minutes: 30, seconds: 0 };
    const record = (sequenceNumber: number, mgPerDl: number, contextFollows: boolean) =>
      encodeGlucose({
        sequenceNumber,
        baseTime,
        timeOffset: sequenceNumber,
        concentration: { value: sfloat(mgPerDl, -5), type: 1, location: 1 },
        contextFollows,
      });
    const sim = createSimulatedDevice('glucose', {
      records: [record(1, 92, true), record(2, 168, true), record(3, 101, false)],
      // Record 2 announces a context that the meter never sends.
      contexts: new Map([[1, encodeGlucoseContext({ sequenceNumber: 1, meal: 3, tester: 1 })]]),
    });
    const connector = bleConnector({
      adapter: new SimulatedBleAdapter([sim.peripheral]),
      clock: manualClock(new Date('2025-06-02T12:00:00Z')),
      logger: memoryLogger(),
    });
    const sink = recordingSink();
    open.push(
      await connector.connect(
        {
          id: 'meter',
          name: 'Meter',
          transport: 'ble',
          driver: 'ble.glucose',
          address: sim.peripheral.address,
        },
        sink,
      ),
    );
    await sink.waitFor(() => sink.readings.length === 3, 'three records');
    expect(sink.readings.map((r) => [r.values[0]?.value, r.notes])).toEqual([
      [92, ['Sample: capillary whole blood', 'Site: finger', 'Meal: Fasting', 'Tested by the patient']],
      [168, ['Sample: capillary whole blood', 'Site: finger']],
      [101, ['Sample: capillary whole blood', 'Site: finger']],
    ]);
  });

  it('a fault in the sink is logged, not thrown into the radio callbacks, and readings keep flowing', async () => {
    const { sim, connector, device, logger } = setup('heart-rate');
    const sink = recordingSink();
    const record = sink.reading;
    let failures = 0;
    sink.reading = () => {
      failures += 1;
      throw new Error('downstream bug');
    };
    open.push(await connector.connect(device, sink));
    expect(sim.send('normal')).toBe(true);
    await sink.waitFor(
      () => logger.records.some((r) => r.event === 'devices.ble.handler_failed'),
      'the logged fault',
    );
    expect(failures).toBe(1);
    expect(logger.records.filter((r) => r.event === 'devices.ble.handler_failed')).toHaveLength(1);
    // The connection survived the fault: the next reading arrives once the sink works again.
    sink.reading = record;
    expect(sim.send('normal')).toBe(true);
    await sink.waitFor(() => sink.readings.length === 1, 'the next reading');
    expect(sink.readings[0]!.values.map((v) => v.kind)).toEqual(['heartRate']);
    expect(sink.statuses.map((s) => s.state)).not.toContain('error');
    expect(sink.statuses.map((s) => s.state)).not.toContain('disconnected');
  });

  it('refuses an unknown driver, a missing address, and a device without the expected service', async () => {
    const { connector, device, adapter } = setup('thermometer');
    const sink = recordingSink();
    await expect(connector.connect({ ...device, driver: 'ble.toaster' }, sink)).rejects.toMatchObject({
      code: 'DEVICE',
    });
    await expect(connector.connect({ ...device, address: undefined }, sink)).rejects.toMatchObject({
      code: 'DEVICE',
    });
    const scale = createSimulatedDevice('weight-scale');
    adapter.add(scale.peripheral);
    await expect(
      connector.connect({ ...device, address: scale.peripheral.address }, sink),
    ).rejects.toMatchObject({ code: 'DEVICE' });
    expect(scale.peripheral.connected).toBe(false);
  });

  it('says why when the radio is off, unauthorized or missing', async () => {
    const { connector, device, adapter } = setup('heart-rate');
    for (const [state, words] of [
      ['poweredOff', /switched off/],
      ['unauthorized', /not allowed/],
      ['unsupported', /Bluetooth unavailable/],
    ] as const) {
      adapter.setState(state);
      const sink = recordingSink();
      await expect(connector.connect(device, sink)).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(words),
      });
      expect(sink.statuses).toEqual([{ state: 'error', reason: expect.stringMatching(words) }]);
    }
  });

  it('a radio that fails to load gives "Bluetooth unavailable", and loading is tried again next time', async () => {
    const { sim, device } = setup('heart-rate');
    let attempts = 0;
    const connector = bleConnector({
      adapter: async () => {
        attempts++;
        if (attempts === 1) throw new Error('native module missing');
        return new SimulatedBleAdapter([sim.peripheral]);
      },
      clock: manualClock(new Date()),
      logger: memoryLogger(),
    });
    const sink = recordingSink();
    await expect(connector.connect(device, sink)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Bluetooth unavailable',
    });
    open.push(await connector.connect(device, sink));
    expect(attempts).toBe(2);
    expect(sink.statuses.map((s) => s.state)).toEqual(['error', 'connecting', 'connected']);
  });

  it('close() unsubscribes and disconnects; later notifications are not delivered', async () => {
    const { sim, connector, device } = setup('blood-pressure');
    const sink = recordingSink();
    const connection = await connector.connect(device, sink);
    await connection.close();
    expect(sim.peripheral.connected).toBe(false);
    expect(sink.statuses.at(-1)).toEqual({ state: 'disconnected' });
    expect(sim.send('normal')).toBe(false);
  });
});
