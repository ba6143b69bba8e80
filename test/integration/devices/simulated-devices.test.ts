/**
 * Simulators a person can use with the running app: what `--simulated-devices` gives the app's core
 * (simulatedTransports), driven the way `npm run sim` drives it. Bluetooth: a simulated cuff joins the
 * app's socket radio from outside (as the separate `npm run sim -- ble` process does), is found by a
 * scan, paired and measured, goes away when the simulator stops and is reconnected when it is started
 * again. Serial: a simulator's port at its stable path is listed beside the system's and stays paired
 * across a restart of the simulator. The socket is a trust boundary: bad lines are refused.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bluetoothFromAdapter } from '../../../main/devices/bluetooth';
import { createDeviceManager, type DeviceManager } from '../../../main/devices/manager';
import { SERIAL_DRIVERS } from '../../../main/devices/serial/drivers';
import { encodeNonin8 } from '../../../main/devices/serial/drivers/nonin-8';
import { createSerialConnector } from '../../../main/devices/serial/connector';
import { createPortLister } from '../../../main/devices/serial/port-lister';
import { createSocketBleAdapter } from '../../../main/devices/ble/socket-adapter';
import { SIMULATOR_MANUFACTURER } from '../../../main/devices/simulated/simulated-ports';
import {
  simulatedTransports,
  type SimulatedTransports,
} from '../../../main/devices/simulated/simulated-transports';
import { createEventBus } from '../../../main/ipc/event-bus';
import { memoryLogger } from '../../../main/logging/logger';
import { systemClock } from '../../../main/platform/clock';
import type { DeviceReading } from '../../../shared/devices/reading';
import { memoryDeviceStore } from '../../support/memory-device-store';
import { createSimulatedDevice } from '../../sim/ble/devices';
import { deviceForScenario } from '../../sim/ble/scenario';
import { bridgePeripheral, type SocketBridge } from '../../sim/ble/socket-bridge';
import { createPtyPairAt, type PtyPair } from '../../sim/serial/pty';
import { until } from '../../support/until';

let dir: string;
let sim: SimulatedTransports;
let manager: DeviceManager;
let readings: DeviceReading[];
let logger: ReturnType<typeof memoryLogger>;
const bridges: SocketBridge[] = [];
const ptys: PtyPair[] = [];

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vd-sim-'));
  readings = [];
  logger = memoryLogger();
  // The system's own listing answers one built-in port (udev is not involved here).
  sim = await simulatedTransports({
    dir: path.join(dir, 'sim'),
    systemLister: createPortLister({ list: async () => [{ path: '/dev/ttyS0' }] }),
  });
  sim.attachLogger(logger);
  const events = createEventBus();
  events.subscribe((name, payload) => {
    if (name === 'devices.reading') readings.push(payload as DeviceReading);
  });
  manager = createDeviceManager({
    store: memoryDeviceStore(),
    serial: {
      connector: createSerialConnector({
        clock: systemClock,
        logger,
        lister: sim.devices.serialPortLister,
        allowPortsWithoutUsbIds: () => sim.devices.allowSerialPortsWithoutUsbIds,
      }),
      drivers: Object.values(SERIAL_DRIVERS).map((d) => ({ id: d.id, name: d.model })),
      listPorts: () => sim.devices.serialPortLister.list(),
    },
    bluetooth: bluetoothFromAdapter({ adapter: sim.devices.bleAdapter, clock: systemClock, logger }),
    events,
    logger,
    reconnect: { initialMs: 30, maxMs: 200 },
  });
});

afterEach(async () => {
  await manager.close();
  for (const b of bridges.splice(0)) b.close();
  for (const p of ptys.splice(0)) await p.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a Bluetooth simulator on the running app', () => {
  it('is found, paired and measured; the app waits when it stops and reconnects when it runs again', async () => {
    expect(statSync(path.join(dir, 'sim')).mode & 0o777).toBe(0o700);
    expect(statSync(sim.socketPath).mode & 0o777).toBe(0o600);
    expect(manager.list().bluetooth.state).toBe('poweredOn');

    // As `npm run sim -- ble blood-pressure` makes it: the same address every run.
    const cuff = deviceForScenario('blood-pressure', 'normal');
    bridges.push(await bridgePeripheral(cuff.peripheral, sim.socketPath));
    await until(() => sim.devices.bleAdapter.peripheralCount() === 1, 'the simulator joining');

    const found = await manager.bleScan(1);
    expect(found).toEqual([
      expect.objectContaining({ address: cuff.peripheral.address, suggestedDriver: 'ble.blood-pressure' }),
    ]);
    const paired = manager.pair({
      name: 'Desk cuff',
      transport: 'ble',
      driver: 'ble.blood-pressure',
      address: found[0]!.address,
    });
    const entry = await manager.connect(paired.id);
    expect(entry.status.state).toBe('connected');
    // Device Information came over the socket, read through the app's own connector.
    expect(entry.info.manufacturer).toBeTruthy();

    cuff.measureBloodPressure({ systolic: 131, diastolic: 84, pulse: 70 });
    await until(() => readings.length === 1, 'the measurement');
    expect(readings[0]!.values.map((v) => [v.kind, v.value])).toEqual(
      expect.arrayContaining([
        ['systolic', 131],
        ['diastolic', 84],
      ]),
    );

    // The person stops the simulator (Ctrl-C): the app waits for the cuff.
    bridges.pop()!.close();
    await until(() => manager.list().devices[0]!.status.state === 'waiting', 'waiting for the cuff');

    // ...and starts it again: the same cuff joins, the app reconnects by itself.
    const again = deviceForScenario('blood-pressure', 'normal');
    expect(again.peripheral.address).toBe(cuff.peripheral.address);
    bridges.push(await bridgePeripheral(again.peripheral, sim.socketPath));
    await until(() => manager.list().devices[0]!.status.state === 'connected', 'reconnected');
    again.measureBloodPressure({ systolic: 118, diastolic: 76, pulse: 66 });
    await until(() => readings.length === 2, 'a measurement after the restart');
    expect(readings.map((r) => r.values.find((v) => v.kind === 'systolic')?.value)).toEqual([131, 118]);
  });

  it('a line that is not the protocol is ignored; an endless line closes that connection only', async () => {
    const cuff = createSimulatedDevice('blood-pressure');
    bridges.push(await bridgePeripheral(cuff.peripheral, sim.socketPath));
    await until(() => sim.devices.bleAdapter.peripheralCount() === 1, 'the cuff joining');

    const intruder = net.createConnection(sim.socketPath);
    await new Promise((r) => intruder.once('connect', r));
    // Not JSON, a hello with a bad UUID, a notify with bytes that are not hex.
    intruder.write('hello\n');
    intruder.write(
      `${JSON.stringify({ t: 'hello', address: 'x', name: 'x', rssi: -50, services: ['not-a-uuid'], gatt: [] })}\n`,
    );
    intruder.write(
      `${JSON.stringify({ t: 'notify', service: '1810', characteristic: '2a35', value: 'zz' })}\n`,
    );
    await until(
      () => logger.records.filter((r) => r.event === 'devices.simulated.bad_line').length === 3,
      'three refused lines',
    );
    expect(sim.devices.bleAdapter.peripheralCount()).toBe(1);

    const closed = new Promise((r) => intruder.once('close', r));
    intruder.write('x'.repeat(70 * 1024)); // never a newline
    await closed;
    expect(logger.records.some((r) => r.event === 'devices.simulated.line_too_long')).toBe(true);
    // The real simulator is still there and still works.
    expect(sim.devices.bleAdapter.peripheralCount()).toBe(1);
    expect(await manager.bleScan(1)).toHaveLength(1);
  });

  it('never deletes a file that is not a socket at the radio path', async () => {
    const taken = path.join(dir, 'taken.sock');
    writeFileSync(taken, 'a file someone keeps here');
    await expect(createSocketBleAdapter({ socketPath: taken, logger })).rejects.toThrow(
      /taken by another file/,
    );
    expect(statSync(taken).isFile()).toBe(true);
  });
});

describe('a serial simulator on the running app', () => {
  it('is listed at its stable path beside the system ports, and stays paired across a restart', async () => {
    const port = path.join(dir, 'sim', 'nonin-8');
    const devicePath = path.join(dir, 'sim', '.device-nonin-8');
    const first = await createPtyPairAt(port, devicePath);
    ptys.push(first);

    const listing = await manager.serialPorts();
    expect(listing.ports).toEqual([
      { path: '/dev/ttyS0' },
      { path: port, manufacturer: SIMULATOR_MANUFACTURER },
    ]);

    const paired = manager.pair({
      name: 'Desk oximeter',
      transport: 'serial',
      driver: 'serial.nonin-8',
      address: port,
    });
    await manager.connect(paired.id);
    first.write(encodeNonin8({ heartRate: 72, spo2: 97 }));
    await until(() => readings.length === 1, 'a reading');

    // The simulator is stopped (Ctrl-C): its port leaves the list, the app waits for it.
    await first.close();
    ptys.pop();
    await until(() => manager.list().devices[0]!.status.state === 'waiting', 'waiting');
    expect((await manager.serialPorts()).ports.map((p) => p.path)).toEqual(['/dev/ttyS0']);

    // Started again: the same path, a new pseudo-terminal behind it; the pairing still fits.
    const second = await createPtyPairAt(port, devicePath);
    ptys.push(second);
    await until(() => manager.list().devices[0]!.status.state === 'connected', 'reconnected');
    second.write(encodeNonin8({ heartRate: 75, spo2: 98 }));
    await until(() => readings.length === 2, 'a reading after the restart');
    expect(readings.map((r) => r.values[0]!.value)).toEqual([72, 75]);
    expect(readings[1]!.provenance.address).toBe(port);
  });

  it('a simulator killed without cleaning up leaves a link that the next run replaces', async () => {
    const port = path.join(dir, 'sim', 'and-scale');
    const devicePath = path.join(dir, 'sim', '.device-and-scale');
    const first = await createPtyPairAt(port, devicePath);
    // A hard kill: socat gone, but pretend its links were left (make them again, dangling).
    await first.close();
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/dev/pts/nonexistent', port);
    symlinkSync('/dev/pts/nonexistent', devicePath);
    expect((await manager.serialPorts()).ports.map((p) => p.path)).toEqual(['/dev/ttyS0']);
    const second = await createPtyPairAt(port, devicePath);
    ptys.push(second);
    expect((await manager.serialPorts()).ports.map((p) => p.path)).toContain(port);
  });
});
