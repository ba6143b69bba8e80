/**
 * Lists serial ports with their USB vendor/product ids. On Linux `serialport` asks udev (`udevadm`) for
 * the ids; where udev is missing or the listing fails, a basic listing of the usual USB-serial device
 * nodes is made instead, and the answer says so rather than failing the whole screen.
 */
import { readdir } from 'node:fs/promises';
import type { SerialPortSummary } from '../../../shared/ipc/channels/devices';
import type { Logger } from '../../logging/logger';

/** The fields of serialport's PortInfo this app uses. */
export interface RawPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface PortListing {
  ports: SerialPortSummary[];
  complete: boolean;
  note?: string;
}

export interface PortListerDeps {
  /** The full listing (serialport's `SerialPort.list`). */
  list: () => Promise<RawPortInfo[]>;
  /** Names in the device directory, for the basic listing. */
  readDeviceDir?: () => Promise<string[]>;
  logger?: Logger;
}

/** USB-serial adapters (FTDI, CDC-ACM, Prolific...) and built-in ports appear under these names on Linux. */
const BASIC_PORT_NAME = /^tty(USB|ACM|S)\d+$/;

export function normaliseUsbId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const hex = id.replace(/^0x/i, '').toLowerCase();
  return /^[0-9a-f]{1,4}$/.test(hex) ? hex.padStart(4, '0') : undefined;
}

function summary(port: RawPortInfo): SerialPortSummary {
  const out: SerialPortSummary = { path: port.path };
  if (port.manufacturer) out.manufacturer = port.manufacturer;
  if (port.serialNumber) out.serialNumber = port.serialNumber;
  const vendorId = normaliseUsbId(port.vendorId);
  const productId = normaliseUsbId(port.productId);
  if (vendorId) out.vendorId = vendorId;
  if (productId) out.productId = productId;
  return out;
}

export function createPortLister(deps: PortListerDeps) {
  const readDeviceDir =
    deps.readDeviceDir ?? (process.platform === 'linux' ? () => readdir('/dev') : async () => []);
  return {
    async list(): Promise<PortListing> {
      try {
        const ports = await deps.list();
        return { ports: ports.map(summary).sort((a, b) => a.path.localeCompare(b.path)), complete: true };
      } catch (error) {
        deps.logger?.warn('devices.serial.list_failed', {
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
      let names: string[] = [];
      try {
        names = await readDeviceDir();
      } catch {
        names = [];
      }
      const ports = names
        .filter((n) => BASIC_PORT_NAME.test(n))
        .sort()
        .map((n) => ({ path: `/dev/${n}` }));
      return {
        ports,
        complete: false,
        note: 'USB details of the ports could not be read on this computer (udev is not available), so only port names are shown.',
      };
    },
  };
}

export type PortLister = ReturnType<typeof createPortLister>;

/** The real lister, loading `serialport` only when first used. */
export function createSystemPortLister(logger?: Logger): PortLister {
  return createPortLister({
    list: async () => {
      const { SerialPort } = await import('serialport');
      return SerialPort.list();
    },
    logger,
  });
}
