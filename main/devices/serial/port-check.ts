/**
 * What the serial connector checks before it opens a path: that it is a serial port at all, and, for a
 * device paired by its USB vendor/product id, that the port is that USB device. Pairing `/etc/passwd`
 * (or `/dev/sda`, or another USB device's port) under an allowed id must not open it.
 *
 * A serial port on Linux is a character device of the tty subsystem (sysfs `/sys/dev/char/M:m` leads
 * into a `tty` class), or a Unix98 pseudo-terminal (majors 136–143, which sysfs does not list), and not
 * a virtual console (major 4, minors below 64) or `/dev/tty`, `/dev/console`, `/dev/ptmx` (major 5).
 * On macOS a `/dev/cu.*` or `/dev/tty.*` character device; on Windows a `COMn` port the system lists.
 * A port without USB ids (a built-in RS-232 port, or a pseudo-terminal for simulators) is opened only
 * when IT's policy or the test configuration says so.
 */
import { realpath, readlink, stat } from 'node:fs/promises';
import { DEVICE_ABSENT_MESSAGES, DeviceAbsentError } from '../device-absent';
import { AppError } from '../../../shared/ipc/errors';
import type { PortListing } from './port-lister';

export const PORT_CHECK_MESSAGES = {
  notSerial: 'That path is not a serial port, so it was not opened. Pair the device again by its port.',
  notPairedDevice:
    'The port is not the USB device that was paired (its vendor or product id differs, or it is not plugged in). Check the cable, or pair the device again.',
  noUsbIds:
    'This port has no USB vendor or product id, and this workstation opens only USB serial devices it can identify. Ask IT if a built-in serial port should be allowed.',
} as const;

export interface PortFacts {
  /** Whether the path (after symlinks) is a character device, and its device number. */
  stat(path: string): Promise<{ isCharacterDevice: boolean; rdev: number }>;
  /** The target of `/sys/dev/char/M:m`, or null when there is none. */
  sysfsClassOf(major: number, minor: number): Promise<string | null>;
  realpath(path: string): Promise<string>;
}

export const systemPortFacts: PortFacts = {
  async stat(path) {
    const s = await stat(path);
    return { isCharacterDevice: s.isCharacterDevice(), rdev: s.rdev };
  },
  async sysfsClassOf(major, minor) {
    try {
      return await readlink(`/sys/dev/char/${major}:${minor}`);
    } catch {
      return null;
    }
  },
  realpath: (path) => realpath(path),
};

/** Linux's `dev_t` split as glibc's major()/minor() do. */
export function splitDeviceNumber(rdev: number): { major: number; minor: number } {
  const major = ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
  const minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xff);
  return { major, minor };
}

/** Whether a Linux character device number is a serial port (see the header for the rule). */
export function isLinuxSerialDevice(major: number, minor: number, sysfsTarget: string | null): boolean {
  if (major >= 136 && major <= 143) return true; // Unix98 pseudo-terminal slaves (/dev/pts/N)
  if (major === 5) return false; // /dev/tty, /dev/console, /dev/ptmx
  if (major === 4 && minor < 64) return false; // virtual consoles tty0–tty63
  return sysfsTarget !== null && /\/tty\/[^/]+$/.test(sysfsTarget);
}

export interface PortCheckOptions {
  platform: NodeJS.Platform;
  facts: PortFacts;
  listing: () => Promise<PortListing>;
  /** Whether a port the system lists without USB ids (or does not list: a pseudo-terminal) may be opened. */
  allowWithoutUsbIds: boolean;
}

/** Throws AppError('DEVICE') unless `path` may be opened for a device paired with these ids. */
export async function checkSerialPort(
  path: string,
  paired: { usbVendorId?: string | undefined; usbProductId?: string | undefined },
  options: PortCheckOptions,
): Promise<void> {
  await assertSerialDevice(path, options);
  const listing = await options.listing();
  const resolved = await options.facts.realpath(path).catch(() => path);
  const listed = listing.ports.find((p) => p.path === path || p.path === resolved);
  const wantsUsb = paired.usbVendorId !== undefined || paired.usbProductId !== undefined;
  if (wantsUsb) {
    const same = (a: string | undefined, b: string | undefined) =>
      a === undefined || (b !== undefined && a.toLowerCase() === b.toLowerCase());
    if (!listed || !same(paired.usbVendorId, listed.vendorId) || !same(paired.usbProductId, listed.productId))
      throw new AppError('DEVICE', PORT_CHECK_MESSAGES.notPairedDevice);
    return;
  }
  if (listed?.vendorId && listed.productId) return;
  if (!options.allowWithoutUsbIds) throw new AppError('DEVICE', PORT_CHECK_MESSAGES.noUsbIds);
}

async function assertSerialDevice(path: string, options: PortCheckOptions): Promise<void> {
  if (options.platform === 'win32') {
    // Windows names ports, not files: only COMn (the listing check that follows makes it a real one).
    if (!/^(\\\\\.\\)?COM\d{1,3}$/i.test(path)) throw new AppError('DEVICE', PORT_CHECK_MESSAGES.notSerial);
    return;
  }
  let facts: { isCharacterDevice: boolean; rdev: number };
  try {
    facts = await options.facts.stat(path);
  } catch {
    // Not there (yet): an unplugged adapter, a simulator not started. Worth waiting for.
    throw new DeviceAbsentError(DEVICE_ABSENT_MESSAGES.cannotOpen);
  }
  if (!facts.isCharacterDevice) throw new AppError('DEVICE', PORT_CHECK_MESSAGES.notSerial);
  if (options.platform === 'darwin') {
    const real = await options.facts.realpath(path).catch(() => path);
    if (!/^\/dev\/(cu|tty)\.[^/]+$/.test(real) && !/^\/dev\/ttys\d+$/.test(real))
      throw new AppError('DEVICE', PORT_CHECK_MESSAGES.notSerial);
    return;
  }
  const { major, minor } = splitDeviceNumber(facts.rdev);
  if (!isLinuxSerialDevice(major, minor, await options.facts.sysfsClassOf(major, minor)))
    throw new AppError('DEVICE', PORT_CHECK_MESSAGES.notSerial);
}
