/**
 * Scanning for Bluetooth health devices to pair: only peripherals advertising one of the supported
 * health services (0x180D 0x1810 0x1809 0x181D 0x1822 0x1808) are reported, each with the drivers
 * that fit it so the pairing screen can propose one.
 */
import { AppError } from '../../../shared/ipc/errors';
import { BLUETOOTH_UNAVAILABLE, normalizeUuid, type BleAdapter, type DiscoveredPeripheral } from './adapter';
import { BLE_DRIVERS, HEALTH_SERVICE_UUIDS, type BleDriverId } from './drivers';

export interface FoundHealthDevice extends DiscoveredPeripheral {
  drivers: BleDriverId[];
}

export interface BleScanner {
  /** Scans for `durationMs`, calling onFound as devices appear or change; resolves with all found, strongest first. */
  scan(options?: {
    durationMs?: number;
    onFound?: (device: FoundHealthDevice) => void;
  }): Promise<FoundHealthDevice[]>;
}

export function driversForServices(services: readonly string[]): BleDriverId[] {
  const normalized = services.map(normalizeUuid);
  return BLE_DRIVERS.filter((d) => normalized.includes(d.service)).map((d) => d.id);
}

export function createBleScanner(adapter: BleAdapter | (() => Promise<BleAdapter>)): BleScanner {
  let scanning = false;
  return {
    async scan(options = {}) {
      const radio = typeof adapter === 'function' ? await adapter() : adapter;
      const status = radio.status();
      if (
        status.state === 'unsupported' ||
        status.state === 'unauthorized' ||
        status.state === 'poweredOff'
      ) {
        throw new AppError('UNAVAILABLE', status.reason ?? BLUETOOTH_UNAVAILABLE);
      }
      if (scanning) throw new AppError('CONFLICT', 'A search for Bluetooth devices is already running.');
      scanning = true;
      const found = new Map<string, FoundHealthDevice>();
      try {
        await radio.startScan(HEALTH_SERVICE_UUIDS, (p) => {
          const drivers = driversForServices(p.services);
          if (drivers.length === 0) return; // not a health device we can read
          const previous = found.get(p.address);
          const device: FoundHealthDevice = { ...previous, ...p, drivers };
          if (!device.name && previous?.name) device.name = previous.name;
          found.set(p.address, device);
          options.onFound?.(device);
        });
        await new Promise((r) => setTimeout(r, options.durationMs ?? 5000));
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('UNAVAILABLE', BLUETOOTH_UNAVAILABLE);
      } finally {
        await radio.stopScan().catch(() => undefined);
        scanning = false;
      }
      return [...found.values()].sort((a, b) => b.rssi - a.rssi);
    },
  };
}
