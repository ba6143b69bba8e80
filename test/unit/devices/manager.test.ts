/**
 * The device manager over Bluetooth. There is no radio here, so the BLE side is the simulated adapter
 * (test/sim/ble) behind the app's real BLE connector; serial devices are covered over real ptys in
 * test/integration/devices/serial-pty.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bluetoothFromAdapter } from '../../../main/devices/bluetooth';
import {
  createDeviceManager,
  unsupportedBluetooth,
  type BluetoothService,
} from '../../../main/devices/manager';
import { SERIAL_DRIVERS } from '../../../main/devices/serial/drivers';
import { createSerialConnector } from '../../../main/devices/serial/connector';
import { createPortLister } from '../../../main/devices/serial/port-lister';
import { createEventBus } from '../../../main/ipc/event-bus';
import { memoryLogger } from '../../../main/logging/logger';
import { systemClock } from '../../../main/platform/clock';
import type { EventName } from '../../../shared/ipc';
import { createSimulatedDevice } from '../../sim/ble/devices';
import { encodePlxSpotCheck, sfloat } from '../../sim/ble/encoders';
import { SimulatedBleAdapter } from '../../sim/ble/simulated-adapter';
import { memoryDeviceStore } from '../../support/memory-device-store';
import { until } from '../../support/until';

const managers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
});

function setup(bluetooth: BluetoothService = unsupportedBluetooth()) {
  const events = createEventBus();
  const seen: { name: EventName; payload: unknown }[] = [];
  events.subscribe((name, payload) => seen.push({ name, payload }));
  const logger = memoryLogger();
  const lister = createPortLister({
    list: async () => [{ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001' }],
  });
  const store = memoryDeviceStore();
  const manager = createDeviceManager({
    store,
    serial: {
      connector: createSerialConnector({ clock: systemClock, logger, lister }),
      drivers: Object.values(SERIAL_DRIVERS).map((d) => ({ id: d.id, name: d.model })),
      listPorts: () => lister.list(),
    },
    bluetooth,
    events,
    logger,
    reconnect: { initialMs: 20, maxMs: 200 },
  });
  managers.push(manager);
  const of = (name: EventName) => seen.filter((e) => e.name === name).map((e) => e.payload);
  return { manager, store, seen, of, logger };
}

describe('device manager: pairing', () => {
  it('pairs a serial device by port or by USB ids, and refuses what cannot work', () => {
    const { manager, store } = setup();
    const byPort = manager.pair({
      name: 'Oximeter',
      transport: 'serial',
      driver: 'serial.nonin-8',
      address: '/dev/ttyUSB0',
    });
    expect(byPort).toMatchObject({ status: { state: 'disconnected' }, battery: null, lastReading: null });
    manager.pair({
      name: 'Scale',
      transport: 'serial',
      driver: 'serial.and-scale',
      usbVendorId: '0403',
      usbProductId: '6001',
    });
    expect(store.devices.map((d) => d.name)).toEqual(['Oximeter', 'Scale']);

    expect(() =>
      manager.pair({ name: 'X', transport: 'serial', driver: 'serial.unknown', address: '/dev/ttyS0' }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => manager.pair({ name: 'X', transport: 'serial', driver: 'serial.nonin-8' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    );
    expect(() =>
      manager.pair({ name: 'X', transport: 'ble', driver: 'serial.nonin-8', address: 'aa' }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() =>
      manager.pair({ name: 'Again', transport: 'serial', driver: 'serial.nonin-8', address: '/dev/ttyUSB0' }),
    ).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(store.devices).toHaveLength(2);
  });

  it('unpairs, and says NOT_FOUND for a device that is not paired', async () => {
    const { manager, store } = setup();
    const d = manager.pair({
      name: 'Oximeter',
      transport: 'serial',
      driver: 'serial.nonin-8',
      address: '/dev/ttyUSB0',
    });
    await expect(manager.unpair(d.id)).resolves.toEqual({ id: d.id });
    expect(store.devices).toEqual([]);
    await expect(manager.unpair(d.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(manager.connect('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('device manager: Bluetooth state', () => {
  it('says "Bluetooth unavailable" where there is no radio, and refuses BLE connect and scan with UNAVAILABLE', async () => {
    const adapter = new SimulatedBleAdapter([], 'unsupported');
    const { manager } = setup(bluetoothFromAdapter({ adapter, clock: systemClock, logger: memoryLogger() }));
    expect(manager.list().bluetooth).toEqual({ state: 'unsupported', message: 'Bluetooth unavailable' });
    const d = manager.pair({
      name: 'Cuff',
      transport: 'ble',
      driver: 'ble.blood-pressure',
      address: 'c0:ff:ee:00:00:99',
    });
    await expect(manager.connect(d.id)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Bluetooth unavailable.',
    });
    await expect(manager.bleScan(1)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('lists both transports’ drivers, and reports adapter changes as devices.bluetooth events', async () => {
    const adapter = new SimulatedBleAdapter([], 'poweredOff');
    const { manager, of } = setup(
      bluetoothFromAdapter({ adapter, clock: systemClock, logger: memoryLogger() }),
    );
    const drivers = manager.list().drivers;
    expect(drivers.filter((d) => d.transport === 'serial').map((d) => d.id)).toEqual([
      'serial.nonin-8',
      'serial.nonin-2',
      'serial.nonin-7',
      'serial.and-scale',
    ]);
    expect(drivers.some((d) => d.id === 'ble.pulse-oximeter' && d.transport === 'ble')).toBe(true);
    adapter.setState('poweredOn');
    expect(of('devices.bluetooth')).toEqual([{ state: 'poweredOn', message: 'Bluetooth on' }]);
    expect(manager.list().bluetooth.state).toBe('poweredOn');
  });

  it('a lazily loaded adapter that fails to load leaves Bluetooth "unavailable", not a crash', async () => {
    const bluetooth = bluetoothFromAdapter({
      adapter: () => Promise.reject(new Error('no native module')),
      clock: systemClock,
      logger: memoryLogger(),
    });
    const { manager, of } = setup(bluetooth);
    expect(manager.list().bluetooth.state).toBe('unknown');
    await until(() => of('devices.bluetooth').length === 1, 'the state after loading');
    expect(manager.list().bluetooth).toEqual({ state: 'unsupported', message: 'Bluetooth unavailable' });
  });
});

describe('device manager: a Bluetooth device through the simulated radio', () => {
  it('scans, connects, streams readings with battery, reconnects after a drop, and disconnects', async () => {
    const oximeter = createSimulatedDevice('pulse-oximeter', { battery: 15 });
    const adapter = new SimulatedBleAdapter([oximeter.peripheral]);
    const { manager, of } = setup(
      bluetoothFromAdapter({ adapter, clock: systemClock, logger: memoryLogger() }),
    );

    const found = await manager.bleScan(1);
    expect(found).toEqual([
      expect.objectContaining({
        address: oximeter.peripheral.address,
        suggestedDriver: 'ble.pulse-oximeter',
      }),
    ]);
    const d = manager.pair({
      name: 'Oximeter',
      transport: 'ble',
      driver: 'ble.pulse-oximeter',
      address: found[0]!.address,
    });
    const entry = await manager.connect(d.id);
    expect(entry.status.state).toBe('connected');
    expect(entry.battery).toEqual({ percent: 15, low: true });
    // Without a time stamp of its own: a live reading, never one from the device's memory.
    const measuredNow = encodePlxSpotCheck({ spo2: sfloat(97), pulseRate: sfloat(71) });

    oximeter.sendRaw(measuredNow);
    await until(() => of('devices.reading').length === 1, 'a reading');
    expect(manager.lastReading(d.id)?.provenance).toMatchObject({ deviceId: d.id, transport: 'ble' });
    expect(manager.list().devices[0]!.status.state).toBe('reading');

    // Out of range: the manager waits for it, and reconnects when the device is back.
    oximeter.peripheral.dropLink();
    await until(() => manager.list().devices[0]!.status.state === 'waiting', 'the drop');
    expect(manager.list().devices[0]!.status).toMatchObject({ reason: 'The device was disconnected.' });
    await new Promise((r) => setTimeout(r, 100)); // a few failed attempts while away
    const attemptsWhileAway = oximeter.peripheral.connectCount;
    oximeter.peripheral.comeBack();
    await until(() => manager.list().devices[0]!.status.state === 'connected', 'reconnected');
    expect(oximeter.peripheral.connectCount).toBe(attemptsWhileAway + 1);
    oximeter.sendRaw(measuredNow);
    await until(() => of('devices.reading').length === 2, 'a reading after reconnecting');

    const after = await manager.disconnect(d.id);
    expect(after.status.state).toBe('disconnected');
    expect(oximeter.peripheral.connected).toBe(false);
    oximeter.peripheral.dropLink();
    oximeter.peripheral.comeBack();
    await new Promise((r) => setTimeout(r, 100));
    expect(manager.list().devices[0]!.status.state).toBe('disconnected');
  });

  it('backs off exponentially while a dropped device stays away', async () => {
    const hr = createSimulatedDevice('heart-rate');
    const adapter = new SimulatedBleAdapter([hr.peripheral]);
    const { manager } = setup(bluetoothFromAdapter({ adapter, clock: systemClock, logger: memoryLogger() }));
    const d = manager.pair({
      name: 'Strap',
      transport: 'ble',
      driver: 'ble.heart-rate',
      address: hr.peripheral.address,
    });
    await manager.connect(d.id);
    // The waits between attempts are counted on a fake clock, so how fast this machine runs the attempts
    // does not change how many fit in the time (the simulated radio answers without a timer).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const times: number[] = [];
      const connect = adapter.connect.bind(adapter);
      adapter.connect = async (address) => {
        times.push(Date.now());
        return connect(address);
      };
      const dropped = Date.now();
      hr.peripheral.dropLink();
      // The drop reaches the manager through the radio's deliveries (setImmediate, not faked).
      for (let turn = 0; turn < 100 && manager.list().devices[0]!.status.state !== 'waiting'; turn++)
        await new Promise((r) => setImmediate(r));
      expect(manager.list().devices[0]!.status.state).toBe('waiting');
      await vi.advanceTimersByTimeAsync(700);
      // 20, 40, 80, 160, then the 200 ms cap: six attempts in 700 ms, not the 35 of a fixed 20 ms retry.
      expect(times.map((t) => t - dropped)).toEqual([20, 60, 140, 300, 500, 700]);
      await manager.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
