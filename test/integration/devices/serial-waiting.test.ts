/**
 * Serial devices that come and go, the way a shift goes: the oximeter is paired before its cable is
 * in, is unplugged mid-reading while the scale keeps weighing, comes back at the same port path, and
 * is finally let go by the nurse. The ports are real socat pseudo-terminals killed and made again at
 * the same path (a pulled and re-inserted USB adapter); the connector and manager are the app's.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceManager } from '../../../main/devices/manager';
import { encodeNonin8 } from '../../../main/devices/serial/drivers/nonin-8';
import type { DeviceReading } from '../../../shared/devices/reading';
import type { DeviceStatus } from '../../../main/devices/types';
import { openSerialDesk, type SerialDesk } from '../../support/serial-desk';
import { until } from '../../support/until';

const BACKOFF = { initialMs: 40, maxMs: 320 };

interface SeenStatus {
  deviceId: string;
  status: DeviceStatus;
  /** For a "waiting" status: how long until the next attempt, as announced. */
  delayMs?: number;
}

let desk: SerialDesk;
let dir: string;
let manager: DeviceManager;
let readings: DeviceReading[];
let statuses: SeenStatus[];
let logger: SerialDesk['logger'];

beforeEach(() => {
  readings = [];
  statuses = [];
  desk = openSerialDesk({ dirPrefix: 'vd-waiting-', reconnect: BACKOFF });
  ({ dir, manager, logger } = desk);
  desk.events.subscribe((name, payload) => {
    if (name === 'devices.reading') readings.push(payload as DeviceReading);
    if (name === 'devices.status') {
      const p = payload as { deviceId: string; status: DeviceStatus };
      const next = p.status.state === 'waiting' ? p.status.nextAttemptAt : undefined;
      statuses.push({
        deviceId: p.deviceId,
        status: p.status,
        ...(next ? { delayMs: Date.parse(next) - Date.now() } : {}),
      });
    }
  });
});

afterEach(() => desk.close());

const waitingOf = (id: string) => statuses.filter((s) => s.deviceId === id && s.status.state === 'waiting');
const valuesOf = (id: string) =>
  readings.filter((r) => r.provenance.deviceId === id).map((r) => r.values[0]!.value);

describe('serial devices that come and go', () => {
  it('waits for an oximeter with growing, capped delays, and reads once its cable is in', async () => {
    const portPath = path.join(dir, 'desk-port');
    const oximeter = desk.pair('Desk oximeter', 'serial.nonin-8', portPath);
    // The wall clock stands still while the delays are announced, so the time between the manager
    // stamping "next attempt at" and this test reading it (a pause on a busy machine) is not counted.
    // The attempts themselves wait on timers, which do not read the wall clock.
    vi.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-04-01T09:00:00.000Z'));
    try {
      const entry = await manager.connect(oximeter);
      expect(entry.status).toMatchObject({
        state: 'waiting',
        reason: 'The device could not be opened. It may be unplugged, or in use by another program.',
      });
      for (let waited = 0; waitingOf(oximeter).length < 6; waited += 10) {
        if (waited > 10_000) throw new Error('timed out waiting for six attempts while away');
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      vi.restoreAllMocks();
    }
    const delays = waitingOf(oximeter).map((s) => s.delayMs ?? NaN);
    // 40, 80, 160, 320, then never more than the cap.
    expect(delays.slice(0, 6)).toEqual([40, 80, 160, 320, 320, 320]);

    const cable = await desk.plugIn('desk'); // the link appears at the paired path
    expect(cable.portPath).toBe(portPath);
    await until(() => manager.list().devices[0]!.status.state === 'connected', 'connected once plugged in');
    cable.write(encodeNonin8({ heartRate: 72, spo2: 97 }));
    await until(() => readings.length === 1, 'the first reading');
    expect(manager.list().devices[0]!.status).toEqual({ state: 'reading' });
    // The waiting was not logged as a failure, and the log names no path or patient value.
    expect(logger.records.some((r) => r.level === 'error')).toBe(false);
    expect(JSON.stringify(logger.records)).not.toContain(dir);
  });

  it('an oximeter unplugged mid-reading waits while the scale keeps weighing, and resumes without a duplicate', async () => {
    const oxiCable = await desk.plugIn('oxi');
    const scaleCable = await desk.plugIn('scale');
    const oximeter = desk.pair('Desk oximeter', 'serial.nonin-8', oxiCable.portPath);
    const scale = desk.pair('Scale', 'serial.and-scale', scaleCable.portPath);
    await manager.connect(oximeter);
    await manager.connect(scale);

    oxiCable.write(encodeNonin8({ heartRate: 80, spo2: 96 }));
    oxiCable.write(encodeNonin8({ heartRate: 81, spo2: 96 }));
    await until(() => valuesOf(oximeter).length === 2, 'two oximeter readings');
    // Half a frame, then the cable comes out.
    oxiCable.write(encodeNonin8({ heartRate: 99, spo2: 90 }).subarray(0, 2));
    await oxiCable.unplug();
    await until(() => waitingOf(oximeter).length > 0, 'waiting for the oximeter');
    expect(waitingOf(oximeter)[0]!.status).toMatchObject({ reason: 'The device was disconnected.' });

    // Another patient is weighed meanwhile: the scale is not held up by the missing oximeter.
    scaleCable.write(new TextEncoder().encode('ST,+00070.45 kg\r\n'));
    await until(() => valuesOf(scale).length === 1, 'the weight while the oximeter is away');
    expect(manager.list().devices.find((d) => d.id === scale)!.status.state).toBe('reading');

    await until(() => waitingOf(oximeter).length >= 3, 'some failed attempts while unplugged');
    await oxiCable.replug();
    const back = statuses.length;
    await until(
      () => statuses.slice(back).some((s) => s.deviceId === oximeter && s.status.state === 'connected'),
      'the oximeter back',
    );
    oxiCable.write(encodeNonin8({ heartRate: 77, spo2: 98 }));
    await until(() => valuesOf(oximeter).length === 3, 'a reading after the replug');
    await new Promise((r) => setTimeout(r, 200)); // nothing more trickles in

    // Each frame sent whole gave exactly one reading; the half frame gave none and glued to nothing.
    expect(valuesOf(oximeter)).toEqual([80, 81, 77]);
    const ids = readings.map((r) => r.readingId);
    expect(new Set(ids).size).toBe(ids.length);
    // The value from before the unplug is not the live one any more.
    expect(manager.lastReading(oximeter)?.values[0]?.value).toBe(77);
  });

  it('the nurse stops waiting: no more attempts, even when the device comes back', async () => {
    const cable = await desk.plugIn('oxi2');
    const oximeter = desk.pair('Desk oximeter', 'serial.nonin-8', cable.portPath);
    await manager.connect(oximeter);
    await cable.unplug();
    await until(() => waitingOf(oximeter).length >= 2, 'waiting');
    const entry = await manager.disconnect(oximeter);
    expect(entry.status).toEqual({ state: 'disconnected' });
    const seen = statuses.length;
    await cable.replug();
    cable.write(encodeNonin8({ heartRate: 70, spo2: 97 }));
    await new Promise((r) => setTimeout(r, BACKOFF.maxMs * 2));
    expect(statuses.slice(seen)).toEqual([]);
    expect(readings).toEqual([]);
  });

  it('a port that is not a serial device is refused once, not waited for', async () => {
    const notAPort = path.join(dir, 'notes.txt');
    writeFileSync(notAPort, 'not a device');
    const device = desk.pair('Oximeter', 'serial.nonin-8', notAPort);
    await expect(manager.connect(device)).rejects.toMatchObject({ code: 'DEVICE' });
    await new Promise((r) => setTimeout(r, BACKOFF.initialMs * 4));
    expect(manager.list().devices[0]!.status.state).toBe('error');
    expect(waitingOf(device)).toEqual([]);
  });
});
