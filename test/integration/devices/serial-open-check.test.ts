/**
 * Serial pairing opens only serial devices. The attacks: pair `/etc/passwd` (or `/dev/null`, or another
 * device's port) under a USB vendor/product id IT allows, and connect. The connector must refuse each
 * before opening, with a clear DEVICE error. Real files and a real socat pseudo-terminal are used; the
 * system's USB listing is played by the test (udev does not list pseudo-terminals).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSerialConnector } from '../../../main/devices/serial/connector';
import {
  isLinuxSerialDevice,
  PORT_CHECK_MESSAGES,
  splitDeviceNumber,
} from '../../../main/devices/serial/port-check';
import { createPortLister } from '../../../main/devices/serial/port-lister';
import type { SerialPortHandle } from '../../../main/devices/serial/port';
import type { AllowedDevice, ReadingSink } from '../../../main/devices/types';
import { memoryLogger } from '../../../main/logging/logger';
import { systemClock } from '../../../main/platform/clock';
import { createPtyPair, type PtyPair } from '../../sim/serial/pty';

const sink: ReadingSink = {
  reading: () => undefined,
  waveform: () => undefined,
  status: () => undefined,
  battery: () => undefined,
  info: () => undefined,
};

let dir: string;
let ptys: PtyPair[];
let opened: string[];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vd-serial-open-'));
  ptys = [];
  opened = [];
});
afterEach(async () => {
  for (const pty of ptys) await pty.close();
  rmSync(dir, { recursive: true, force: true });
});

function connector(
  listed: { path: string; vendorId?: string; productId?: string }[],
  allowWithoutIds = false,
) {
  return createSerialConnector({
    clock: systemClock,
    logger: memoryLogger(),
    lister: createPortLister({ list: async () => listed }),
    allowPortsWithoutUsbIds: () => allowWithoutIds,
    // Records what would be opened; a real open is tested in serial-pty.test.ts.
    openPort: async ({ path: p }) => {
      opened.push(p);
      const handle: SerialPortHandle = {
        onData: () => undefined,
        onClose: () => undefined,
        close: async () => undefined,
      };
      return handle;
    },
  });
}

const scale = (fields: Partial<AllowedDevice>): AllowedDevice =>
  ({ id: 'd1', name: 'Scale', transport: 'serial', driver: 'serial.and-scale', ...fields }) as AllowedDevice;

describe('serial open check', () => {
  it.each(['/etc/passwd', '/dev/null', '/dev/tty', '/dev/ptmx'])(
    'refuses %s paired under an allowed USB id, opening nothing',
    async (target) => {
      const c = connector([{ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001' }], true);
      await expect(
        c.connect(scale({ address: target, usbVendorId: '0403', usbProductId: '6001' }), sink),
      ).rejects.toMatchObject({
        code: 'DEVICE',
      });
      expect(opened).toEqual([]);
    },
  );

  it('refuses a real serial port whose USB ids are not the paired ones', async () => {
    const pty = await createPtyPair(dir, 'other');
    ptys.push(pty);
    const c = connector([{ path: pty.portPath, vendorId: '067b', productId: '2303' }]);
    await expect(
      c.connect(scale({ address: pty.portPath, usbVendorId: '0403', usbProductId: '6001' }), sink),
    ).rejects.toMatchObject({ code: 'DEVICE', message: PORT_CHECK_MESSAGES.notPairedDevice });
    expect(opened).toEqual([]);
  });

  it('opens the paired USB device when the port carries its ids', async () => {
    const pty = await createPtyPair(dir, 'usb');
    ptys.push(pty);
    const c = connector([{ path: pty.portPath, vendorId: '0403', productId: '6001' }]);
    await c.connect(scale({ usbVendorId: '0403', usbProductId: '6001' }), sink);
    expect(opened).toEqual([pty.portPath]);
  });

  it('opens a port without USB ids (a pseudo-terminal) only where the configuration allows it', async () => {
    const pty = await createPtyPair(dir, 'sim');
    ptys.push(pty);
    await expect(connector([]).connect(scale({ address: pty.portPath }), sink)).rejects.toMatchObject({
      code: 'DEVICE',
      message: PORT_CHECK_MESSAGES.noUsbIds,
    });
    expect(opened).toEqual([]);
    await connector([], true).connect(scale({ address: pty.portPath }), sink);
    expect(opened).toEqual([pty.portPath]);
  });

  it.each([
    [188, 0, '../../devices/pci/usb1/1-1/ttyUSB0/tty/ttyUSB0', true],
    [166, 3, '../../devices/pci/usb1/1-2/tty/ttyACM3', true],
    [4, 64, '../../devices/pnp0/00:00/tty/ttyS0', true],
    [136, 4, null, true],
    [4, 1, '../../devices/virtual/tty/tty1', false],
    [5, 0, '../../devices/virtual/tty/tty', false],
    [1, 3, '../../devices/virtual/mem/null', false],
    [8, 0, '../../devices/pci/block/sda', false],
  ] as const)('char device %i:%i (%s) is a serial port: %s', (major, minor, sysfs, expected) => {
    expect(isLinuxSerialDevice(major, minor, sysfs)).toBe(expected);
  });

  it('splits a device number as glibc does', () => {
    expect(splitDeviceNumber(1088)).toEqual({ major: 4, minor: 64 });
    expect(splitDeviceNumber((136 << 8) | 7)).toEqual({ major: 136, minor: 7 });
  });
});
