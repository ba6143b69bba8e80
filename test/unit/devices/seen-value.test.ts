/**
 * The value the nurse saw, when a streaming oximeter sends a newer one as she presses Accept: the device
 * manager's acceptance decision on a fake clock. There is no radio here, so the simulated adapter
 * (test/sim/ble) stands behind the app's real BLE connector and the oximeter sends the real PLX bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bluetoothFromAdapter } from '../../../main/devices/bluetooth';
import { createDeviceManager } from '../../../main/devices/manager';
import { createSerialConnector } from '../../../main/devices/serial/connector';
import { createPortLister } from '../../../main/devices/serial/port-lister';
import { createEventBus } from '../../../main/ipc/event-bus';
import { memoryLogger } from '../../../main/logging/logger';
import { manualClock } from '../../../main/platform/clock';
import type { DeviceReading } from '../../../shared/devices/reading';
import { createSimulatedDevice } from '../../sim/ble/devices';
import { encodePlxContinuous, sfloat } from '../../sim/ble/encoders';
import { SimulatedBleAdapter } from '../../sim/ble/simulated-adapter';
import { memoryDeviceStore } from '../../support/memory-device-store';
import { until } from '../../support/until';

const managers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
});

const DESK = { patientId: 'patient-a', encounterId: 'visit-a' };
const WINDOW = 'intake-window';
const REFUSED = /^This reading can no longer be accepted: a newer one arrived/;

async function desk() {
  const clock = manualClock(new Date('2026-12-01T09:00:00Z'));
  const oximeter = createSimulatedDevice('pulse-oximeter', { address: 'c0:ff:ee:00:30:01' });
  const other = createSimulatedDevice('pulse-oximeter', { address: 'c0:ff:ee:00:30:02' });
  const logger = memoryLogger();
  const events = createEventBus();
  const readings: DeviceReading[] = [];
  events.subscribe((name, payload) => {
    if (name === 'devices.reading') readings.push(payload as DeviceReading);
  });
  const manager = createDeviceManager({
    store: memoryDeviceStore(),
    // No serial device at this desk.
    serial: {
      connector: createSerialConnector({ clock, logger, lister: createPortLister({ list: async () => [] }) }),
      drivers: [],
      listPorts: async () => ({ ports: [], complete: true }),
    },
    bluetooth: bluetoothFromAdapter({
      adapter: new SimulatedBleAdapter([oximeter.peripheral, other.peripheral]),
      clock,
      logger,
    }),
    events,
    logger,
    clock,
    reconnect: { initialMs: 20, maxMs: 200 },
  });
  managers.push(manager);
  const connect = async (name: string, address: string) => {
    const { id } = manager.pair({ name, transport: 'ble', driver: 'ble.pulse-oximeter', address });
    await manager.connect(id);
    return id;
  };
  const oximeterId = await connect('Bed oximeter', oximeter.peripheral.address);
  const otherId = await connect('Spare oximeter', other.peripheral.address);
  const send = async (device: typeof oximeter, spo2: number) => {
    const before = readings.length;
    device.sendRaw(encodePlxContinuous({ spo2: sfloat(spo2), pulseRate: sfloat(70) }), '2a5f');
    await until(() => readings.length > before, 'a reading');
    return readings.at(-1)!;
  };
  const take = (
    readingId: string,
    at: typeof DESK | { patientId: string; encounterId: null } = DESK,
    senderId = WINDOW,
  ) => manager.readingForAcceptance(readingId, at, { senderId });
  /** The intake window opens a visit; the next value comes a moment later. */
  const show = (at: typeof DESK | { patientId: string; encounterId: null }) => {
    manager.deskShown(WINDOW, at);
    clock.advance(100);
  };
  return { clock, manager, oximeter, other, oximeterId, otherId, send, take, show };
}

describe('the value she saw, when a newer one comes as she presses', () => {
  it('is taken with its own value and measured time, not the newer one, within 3 s of arriving', async () => {
    const d = await desk();
    d.show(DESK);
    const seen = await d.send(d.oximeter, 96);
    d.clock.advance(1_000);
    const newer = await d.send(d.oximeter, 91);
    const held = d.take(seen.readingId);
    expect(held.reading).toEqual(seen);
    expect(held.reading.values.find((v) => v.kind === 'spo2')?.value).toBe(96);
    expect(held.reading.measuredAt).toBe('2026-12-01T09:00:00.100Z');
    // The handler words its answer from these: which value was taken, and which was not.
    expect(held.superseded).toBeDefined();
    expect(held.state.lastReading?.readingId).toBe(newer.readingId);
    // The newest value is taken as before, as itself.
    expect(d.take(newer.readingId).superseded).toBeUndefined();

    // Up to 3 s after it arrived; then it is refused.
    d.clock.advance(2_000);
    expect(d.take(seen.readingId).reading.readingId).toBe(seen.readingId);
    d.clock.advance(1);
    expect(() => d.take(seen.readingId)).toThrow(REFUSED);
  });

  it('is refused once filed or for a desk that showed another visit, or showed this one only after it came', async () => {
    const d = await desk();
    d.show(DESK);
    const seen = await d.send(d.oximeter, 97);
    await d.send(d.oximeter, 98);

    // The press is for another patient, or another visit of the same one.
    expect(() => d.take(seen.readingId, { patientId: 'patient-b', encounterId: 'visit-b' })).toThrow(REFUSED);
    expect(() => d.take(seen.readingId, { ...DESK, encounterId: null })).toThrow(REFUSED);
    // Another window that never showed this visit.
    expect(() => d.take(seen.readingId, DESK, 'another-window')).toThrow(REFUSED);
    // Filed once: it is gone, and a second press finds nothing to take.
    expect(d.take(seen.readingId).reading.readingId).toBe(seen.readingId);
    d.manager.settled(seen.readingId);
    expect(() => d.take(seen.readingId)).toThrow(REFUSED);

    // The nurse chose another patient and came back: a value from before she came back is not taken.
    const before = await d.send(d.oximeter, 95);
    d.show({ patientId: 'patient-b', encounterId: null });
    d.show(DESK);
    await d.send(d.oximeter, 94);
    expect(() => d.take(before.readingId)).toThrow(REFUSED);
    // Opening the same visit again keeps the time it was first shown.
    const after = await d.send(d.oximeter, 93);
    d.show(DESK);
    await d.send(d.oximeter, 92);
    expect(d.take(after.readingId).reading.readingId).toBe(after.readingId);

    // A sign-in, sign-out, lock or unlock: no desk is known to show this visit until it is opened again.
    const beforeLock = await d.send(d.oximeter, 99);
    d.manager.desksForgotten();
    await d.send(d.oximeter, 98);
    expect(() => d.take(beforeLock.readingId)).toThrow(REFUSED);
  });

  it('is refused for a value of another device, once its device drops or is removed', async () => {
    const d = await desk();
    d.show(DESK);
    // The spare oximeter's replaced value stays the spare's: a newer bed value does not make it the bed's.
    const spare = await d.send(d.other, 90);
    await d.send(d.oximeter, 96);
    expect(() => d.take(spare.readingId)).not.toThrow();
    await d.send(d.other, 89);
    expect(d.take(spare.readingId).deviceName).toBe('Spare oximeter');

    // Unplugged (the link drops): refused at once, even once the device is back.
    const seen = await d.send(d.oximeter, 95);
    await d.send(d.oximeter, 94);
    d.oximeter.peripheral.dropLink();
    await until(() => d.manager.list().devices[0]!.status.state === 'waiting', 'the drop');
    expect(() => d.take(seen.readingId)).toThrow(/Bed oximeter is disconnected/);
    d.oximeter.peripheral.comeBack();
    await until(() => d.manager.list().devices[0]!.status.state === 'connected', 'reconnected');
    await d.send(d.oximeter, 93);
    expect(() => d.take(seen.readingId)).toThrow(REFUSED);

    // Removed from this workstation: its values are gone with it.
    const last = await d.send(d.other, 88);
    await d.send(d.other, 87);
    await d.manager.unpair(d.otherId);
    expect(() => d.take(last.readingId)).toThrow(REFUSED);
  });
});
