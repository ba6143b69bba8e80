/**
 * Serial devices end to end below the UI: simulated devices write their real bytes into socat
 * pseudo-terminals, the real serial connector opens the other end with `serialport`, and the device
 * manager streams readings, waveforms and status to an event bus, as in the app.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceManager } from '../../../main/devices/manager';
import { encodeNonin2Packet } from '../../../main/devices/serial/drivers/nonin-2';
import { encodeNonin7Packet } from '../../../main/devices/serial/drivers/nonin-7';
import { encodeNonin8 } from '../../../main/devices/serial/drivers/nonin-8';
import { createSerialConnector } from '../../../main/devices/serial/connector';
import { createPortLister } from '../../../main/devices/serial/port-lister';
import { systemClock } from '../../../main/platform/clock';
import type { DeviceReading, WaveformBatch } from '../../../shared/devices/reading';
import { openSerialDesk, type SerialDesk } from '../../support/serial-desk';
import { until } from '../../support/until';

let desk: SerialDesk;
let dir: string;
let manager: DeviceManager;
let readings: DeviceReading[];
let waves: WaveformBatch[];
let statuses: { deviceId: string; state: string; reason?: string }[];
let logger: SerialDesk['logger'];
/** What the system's port listing answers (udev is not involved with ptys, so the test plays it). */
let listed: { path: string; vendorId?: string; productId?: string }[];

beforeEach(() => {
  readings = [];
  waves = [];
  statuses = [];
  listed = [];
  desk = openSerialDesk({
    dirPrefix: 'vd-serial-',
    listPorts: async () => listed,
    waveformBatchMs: 50,
    reconnect: { initialMs: 50, maxMs: 400 },
  });
  ({ dir, manager, logger } = desk);
  desk.events.subscribe((name, payload) => {
    if (name === 'devices.reading') readings.push(payload as DeviceReading);
    if (name === 'devices.waveform') waves.push(payload as WaveformBatch);
    if (name === 'devices.status') {
      const p = payload as { deviceId: string; status: { state: string; reason?: string } };
      statuses.push({ deviceId: p.deviceId, ...p.status });
    }
  });
});

afterEach(() => desk.close());

describe('serial devices over real pseudo-terminals', () => {
  it('opens a Nonin #8 oximeter, streams readings with provenance, and keeps the last one', async () => {
    const oximeter = await desk.plugIn('nonin8');
    const paired = desk.pair('Desk oximeter', 'serial.nonin-8', oximeter.portPath);
    const entry = await manager.connect(paired);
    expect(entry.status.state).toBe('connected');
    expect(entry.info).toMatchObject({ manufacturer: 'Nonin Medical' });

    oximeter.write(encodeNonin8({ heartRate: 72, spo2: 97 }));
    oximeter.write(encodeNonin8({ heartRate: 74, spo2: 98 }));
    await until(() => readings.length === 2, 'two readings');
    expect(readings.map((r) => r.values.map((v) => [v.kind, v.value, v.unit]))).toEqual([
      [
        ['heartRate', 72, '/min'],
        ['spo2', 97, '%'],
      ],
      [
        ['heartRate', 74, '/min'],
        ['spo2', 98, '%'],
      ],
    ]);
    expect(readings[0]!.provenance).toMatchObject({
      deviceId: paired,
      transport: 'serial',
      driver: 'serial.nonin-8',
      address: oximeter.portPath,
    });
    expect(manager.lastReading(paired)?.values[0]?.value).toBe(74);
    // Consecutive repeats are battery updates on the same state.
    const transitions = statuses.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]);
    expect(transitions).toEqual(['connecting', 'connected', 'reading']);
    // Battery flag arrives as a low/not-low status, not a made-up percentage.
    expect(manager.list().devices[0]!.battery).toEqual({ low: false });
  });

  it('never emits out-of-range or sensor-off frames as readings', async () => {
    const oximeter = await desk.plugIn('nonin8bad');
    const paired = desk.pair('Oximeter', 'serial.nonin-8', oximeter.portPath);
    await manager.connect(paired);
    oximeter.write(encodeNonin8({ heartRate: 10, spo2: 97 }));
    oximeter.write(encodeNonin8({ heartRate: 511, spo2: 127, sensorDisconnected: true }));
    oximeter.write(encodeNonin8({ heartRate: 80, spo2: 95 }));
    await until(() => readings.length === 1, 'the one good reading');
    expect(readings[0]!.values[0]!.value).toBe(80);
    // Logs say what kind of problem, never the values.
    const problems = logger.records.filter((r) => r.event === 'devices.serial.frame_problem');
    expect(problems.map((r) => r.fields?.code)).toEqual(['OUT_OF_RANGE', 'SPECIAL_VALUE']);
    expect(JSON.stringify(logger.records)).not.toMatch(/\b(10|511|127)\b/);
  });

  it('says why a connected oximeter gives no value (sensor off), and reads again once it is back on', async () => {
    const oximeter = await desk.plugIn('nonin8off');
    const paired = desk.pair('Oximeter', 'serial.nonin-8', oximeter.portPath);
    await manager.connect(paired);
    oximeter.write(encodeNonin8({ heartRate: 0, spo2: 0, sensorDisconnected: true }));
    await until(
      () => statuses.some((s) => s.state === 'connected' && 'detail' in s),
      'the sensor-off status',
    );
    expect(manager.list().devices[0]!.status).toEqual({
      state: 'connected',
      detail: 'The oximeter sensor is off the finger or not connected.',
    });
    expect(readings).toEqual([]);
    oximeter.write(encodeNonin8({ heartRate: 71, spo2: 97 }));
    await until(() => readings.length === 1, 'a reading once the sensor is back on');
    expect(manager.list().devices[0]!.status).toEqual({ state: 'reading' });
  });

  it('an unplug mid-stream loses no accepted reading, and the device reconnects when it returns', async () => {
    const oximeter = await desk.plugIn('nonin8unplug');
    const paired = desk.pair('Oximeter', 'serial.nonin-8', oximeter.portPath);
    await manager.connect(paired);
    for (let i = 0; i < 5; i++) oximeter.write(encodeNonin8({ heartRate: 60 + i, spo2: 97 }));
    await until(() => readings.length === 5, 'five readings before the unplug');
    // Half a record, then the cable comes out.
    oximeter.write(encodeNonin8({ heartRate: 99, spo2: 97 }).subarray(0, 2));
    await oximeter.unplug();
    await until(() => statuses.some((s) => s.state === 'waiting'), 'status after unplug');
    expect(statuses.find((s) => s.state === 'waiting')?.reason).toBe('The device was disconnected.');
    expect(readings.map((r) => r.values[0]!.value)).toEqual([60, 61, 62, 63, 64]);

    await new Promise((r) => setTimeout(r, 300)); // some reconnect attempts fail while it is away
    await oximeter.replug();
    await until(() => manager.list().devices[0]!.status.state === 'connected', 'reconnected', 15_000);
    oximeter.write(encodeNonin8({ heartRate: 88, spo2: 96 }));
    await until(() => readings.length === 6, 'a reading after the replug');
    // The half record from before the unplug did not glue onto the new stream.
    expect(readings.map((r) => r.values[0]!.value)).toEqual([60, 61, 62, 63, 64, 88]);
    expect(manager.list().devices[0]!.status.state).toBe('reading');
  });

  it('streams the 75 Hz pleth of Nonin #2 in numbered batches without gaps', async () => {
    const oximeter = await desk.plugIn('nonin2');
    const paired = desk.pair('Pleth', 'serial.nonin-2', oximeter.portPath);
    await manager.connect(paired);
    const sent: number[] = [];
    for (let p = 0; p < 12; p++) {
      const pleth = Array.from({ length: 25 }, (_, i) => (p * 25 + i) % 256);
      sent.push(...pleth);
      oximeter.write(encodeNonin2Packet({ heartRate: 70, spo2: 97, pleth }));
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => waves.reduce((n, w) => n + w.samples.length, 0) === sent.length, 'all pleth samples');
    await until(() => readings.length === 12, 'one reading per packet');
    let expected = 0;
    for (const batch of waves) {
      expect(batch).toMatchObject({ deviceId: paired, signal: 'pleth', sampleRateHz: 75 });
      expect(batch.firstSample).toBe(expected);
      expected += batch.samples.length;
    }
    expect(waves.flatMap((w) => w.samples)).toEqual(sent);
    expect(waves.length).toBeLessThan(12 * 25); // batched, not one event per sample
  });

  it('reads a Nonin #7 oximeter (16-bit pleth, no start byte) joined mid-packet, with its signal quality on each reading', async () => {
    const oximeter = await desk.plugIn('nonin7');
    const paired = desk.pair('Wrist oximeter', 'serial.nonin-7', oximeter.portPath);
    await manager.connect(paired);
    const pleth = Array.from({ length: 25 }, (_, i) => 0x8000 + i * 512);
    const packet = (perfusion: 'green' | 'yellow' | 'red') =>
      encodeNonin7Packet({ heartRate: 68, spo2: 96, pleth, perfusion });
    // The app opens the port while the oximeter is mid-packet: the first 13 frames never arrive.
    oximeter.write(packet('green').subarray(12 * 5));
    for (const colour of ['green', 'yellow', 'red'] as const) {
      oximeter.write(packet(colour));
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => readings.length === 3, 'one reading per whole packet');
    expect(readings.map((r) => [r.values.map((v) => v.value), r.signalQuality, r.notes])).toEqual([
      [[68, 96], 'good', []],
      [[68, 96], 'weak', ['marginal perfusion']],
      [[68, 96], 'poor', ['low perfusion']],
    ]);
    expect(readings[0]!.provenance).toMatchObject({ driver: 'serial.nonin-7', transport: 'serial' });
    await until(() => waves.reduce((n, w) => n + w.samples.length, 0) === 75, 'the pleth of whole packets');
    expect(waves.flatMap((w) => w.samples)).toEqual([...pleth, ...pleth, ...pleth]);
  });

  it('accepts only stable A&D scale lines', async () => {
    const scale = await desk.plugIn('scale');
    const paired = desk.pair('Scale', 'serial.and-scale', scale.portPath);
    await manager.connect(paired);
    scale.write(
      new TextEncoder().encode(
        'US,+00071.20 kg\r\nUS,+00070.60 kg\r\nOL,+9999999E+19 kg\r\nST,+00070.45 kg\r\n',
      ),
    );
    await until(() => readings.length === 1, 'the stable weight');
    await new Promise((r) => setTimeout(r, 100));
    expect(readings).toHaveLength(1);
    expect(readings[0]!.values).toEqual([{ kind: 'bodyWeight', value: 70.45, unit: 'kg' }]);
  });

  it('says clearly when the port is not there, keeps the pairing, and waits for it', async () => {
    const paired = desk.pair('Oximeter', 'serial.nonin-8', path.join(dir, 'no-such-port'));
    const entry = await manager.connect(paired);
    expect(entry.status).toMatchObject({
      state: 'waiting',
      reason: expect.stringMatching(/could not be opened/),
    });
    expect(manager.list().devices).toHaveLength(1);
    await manager.disconnect(paired);
    expect(manager.list().devices[0]!.status).toEqual({ state: 'disconnected' });
  });

  it('finds a device by its USB vendor and product id, waiting until it is plugged in', async () => {
    const scale = await desk.plugIn('usbscale');
    const byUsbId = manager.pair({
      name: 'Scale',
      transport: 'serial',
      driver: 'serial.and-scale',
      usbVendorId: '0403',
      usbProductId: '6001',
    });
    const entry = await manager.connect(byUsbId.id);
    expect(entry.status).toMatchObject({
      state: 'waiting',
      reason: 'The device is not plugged in. Check its USB cable.',
    });
    listed = [{ path: '/dev/ttyS0' }, { path: scale.portPath, vendorId: '0403', productId: '6001' }];
    await until(() => manager.list().devices[0]!.status.state === 'connected', 'plugged in', 15_000);
    scale.write(new TextEncoder().encode('ST,+00064.20 kg\r\n'));
    await until(() => readings.length === 1, 'the weight');
    expect(readings[0]!.provenance.address).toBe(scale.portPath);
  });

  it('a listener that fails does not break the stream (the connector keeps reading)', async () => {
    const oximeter = await desk.plugIn('nonin8sink');
    const connector = createSerialConnector({
      clock: systemClock,
      logger,
      lister: createPortLister({ list: async () => [] }),
      allowPortsWithoutUsbIds: () => true,
    });
    const values: number[] = [];
    let calls = 0;
    const connection = await connector.connect(
      {
        id: 'd1',
        name: 'Oximeter',
        transport: 'serial',
        driver: 'serial.nonin-8',
        address: oximeter.portPath,
      },
      {
        reading(r) {
          calls++;
          if (calls === 1) throw new Error('listener fault');
          values.push(r.values[0]!.value);
        },
        waveform: () => undefined,
        status: () => undefined,
        battery: () => undefined,
        info: () => undefined,
      },
    );
    oximeter.write(encodeNonin8({ heartRate: 70, spo2: 97 }));
    await until(() => calls === 1, 'the failing call');
    oximeter.write(encodeNonin8({ heartRate: 71, spo2: 97 }));
    await until(() => values.length === 1, 'the next reading');
    expect(values).toEqual([71]);
    expect(logger.records.some((r) => r.event === 'devices.serial.stream_failed')).toBe(true);
    await connection.close();
  });

  it('a user disconnect does not reconnect', async () => {
    const oximeter = await desk.plugIn('nonin8disc');
    const paired = desk.pair('Oximeter', 'serial.nonin-8', oximeter.portPath);
    await manager.connect(paired);
    const entry = await manager.disconnect(paired);
    expect(entry.status.state).toBe('disconnected');
    oximeter.write(encodeNonin8({ heartRate: 72, spo2: 97 }));
    await new Promise((r) => setTimeout(r, 300));
    expect(readings).toHaveLength(0);
    expect(manager.list().devices[0]!.status.state).toBe('disconnected');
  });
});
