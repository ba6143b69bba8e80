/**
 * The device channels through the real core: the IPC contract, role checks, pairings kept in the
 * encrypted database on disk, and a serial device simulated over a socat pty whose readings arrive
 * as `devices.reading` events. Bluetooth is the simulated radio (there is none here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import { memoryKeyProvider } from '../../../main/db/keys';
import { databaseDeviceStore } from '../../../main/db/repositories/devices';
import { encodeNonin8 } from '../../../main/devices/serial/drivers/nonin-8';
import { createPortLister } from '../../../main/devices/serial/port-lister';
import type { DeviceReading } from '../../../shared/devices/reading';
import { createPtyPair, type PtyPair } from '../../sim/serial/pty';
import { SimulatedBleAdapter } from '../../sim/ble/simulated-adapter';
import { signInAs } from '../../support/session';
import { until } from '../../support/until';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function makeCore(dataDir: string, key: ReturnType<typeof memoryKeyProvider>): Promise<Core> {
  const core = await createCore({
    dataDir,
    appVersion: '9.9.9',
    host: 'chromium',
    heartbeatMs: 0,
    dbKeyProvider: key,
    devices: {
      bleAdapter: new SimulatedBleAdapter([], 'unsupported'),
      serialPortLister: createPortLister({
        list: () => Promise.reject(new Error('udevadm: not found')),
        readDeviceDir: async () => ['ttyUSB0', 'null', 'ttyACM3'],
      }),
      reconnect: { initialMs: 50, maxMs: 200 },
      // The oximeter is a socat pseudo-terminal, which has no USB ids.
      allowSerialPortsWithoutUsbIds: true,
    },
  });
  return core;
}

describe('device channels through the core', () => {
  it('pairs, connects and streams a serial oximeter; enforces roles; keeps the pairing in the database', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vd-dev-core-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const key = memoryKeyProvider();
    const core = await makeCore(dataDir, key);
    cleanups.push(() => core.close());
    const pty: PtyPair = await createPtyPair(dataDir, 'oximeter');
    cleanups.push(() => pty.close());
    const readings: DeviceReading[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'devices.reading') readings.push(payload as DeviceReading);
    });

    const nurse = await signInAs(core, 'nurse');
    const clinician = await signInAs(core, 'clinician');
    const asNurse = { senderId: nurse.senderId };

    const ports = await core.invoke('devices.serialPorts', {}, asNurse);
    expect(ports).toEqual({
      ok: true,
      value: {
        ports: [{ path: '/dev/ttyACM3' }, { path: '/dev/ttyUSB0' }],
        complete: false,
        note: expect.stringMatching(/only port names/),
      },
    });

    const listed = await core.invoke('devices.list', {}, asNurse);
    expect(listed).toMatchObject({
      ok: true,
      value: { devices: [], bluetooth: { state: 'unsupported', message: 'Bluetooth unavailable' } },
    });

    const bad = await core.invoke(
      'devices.pair',
      { name: '', transport: 'serial', driver: 'serial.nonin-8' },
      asNurse,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    const paired = await core.invoke(
      'devices.pair',
      { name: 'Intake oximeter', transport: 'serial', driver: 'serial.nonin-8', address: pty.portPath },
      asNurse,
    );
    if (!paired.ok) throw new Error(paired.error.message);
    const id = (paired.value as { id: string }).id;

    const forbidden = await core.invoke('devices.connect', { id }, { senderId: clinician.senderId });
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const connected = await core.invoke('devices.connect', { id }, asNurse);
    expect(connected).toMatchObject({ ok: true, value: { status: { state: 'connected' } } });
    pty.write(encodeNonin8({ heartRate: 81, spo2: 96 }));
    await until(() => readings.length === 1, 'the reading event');
    expect(readings[0]!.values).toEqual([
      { kind: 'heartRate', value: 81, unit: '/min' },
      { kind: 'spo2', value: 96, unit: '%' },
    ]);
    const live = await core.invoke('devices.list', {}, { senderId: clinician.senderId });
    expect(live).toMatchObject({
      ok: true,
      value: {
        devices: [{ id, status: { state: 'reading' }, lastReading: { readingId: readings[0]!.readingId } }],
      },
    });

    const ble = await core.invoke('devices.bleScan', { seconds: 1 }, asNurse);
    expect(ble).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'Bluetooth unavailable.' },
    });

    // Unpairing disconnects and forgets; another pairing stays.
    const scale = await core.invoke(
      'devices.pair',
      {
        name: 'Scale',
        transport: 'serial',
        driver: 'serial.and-scale',
        usbVendorId: '0403',
        usbProductId: '6001',
      },
      asNurse,
    );
    expect(scale).toMatchObject({ ok: true, value: { usbVendorId: '0403', usbProductId: '6001' } });
    const removed = await core.invoke('devices.unpair', { id }, asNurse);
    expect(removed).toEqual({ ok: true, value: { id } });
    await core.close();

    // A new core on the same encrypted database file still has the scale's pairing, and only that.
    const again = await makeCore(dataDir, key);
    cleanups.push(() => again.close());
    expect(databaseDeviceStore(again.db!).list()).toEqual([
      {
        id: (scale as { value: { id: string } }).value.id,
        name: 'Scale',
        transport: 'serial',
        driver: 'serial.and-scale',
        usbVendorId: '0403',
        usbProductId: '6001',
      },
    ]);
  });
});
