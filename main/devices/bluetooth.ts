/**
 * The device manager's Bluetooth side, built on the BLE adapter (noble on real hardware, a simulated
 * radio in tests): adapter state for the UI, a timed scan for health services, and the BLE connector.
 * The adapter may load lazily (noble is a native module): until it has, the state is "unknown".
 */
import type { BleScanResult } from '../../shared/ipc/channels/devices';
import type { Logger } from '../logging/logger';
import type { Clock } from '../platform/clock';
import type { BleAdapter, BleAdapterStatus } from './ble/adapter';
import { normalizeUuid } from './ble/adapter';
import { bleConnector } from './ble/connector';
import { BLE_DRIVERS, HEALTH_SERVICE_UUIDS } from './ble/drivers';
import type { BluetoothService, BluetoothStatus } from './manager';

export function bluetoothFromAdapter(deps: {
  adapter: BleAdapter | (() => Promise<BleAdapter>);
  clock: Clock;
  logger: Logger;
  /** The policy's device-clock rules (tolerance, set on connect). */
  clockPolicy?: () => { toleranceMs: number; setOnConnect: boolean };
}): BluetoothService {
  let adapter: BleAdapter | undefined = typeof deps.adapter === 'function' ? undefined : deps.adapter;
  let loading: Promise<BleAdapter> | undefined;
  let status: BluetoothStatus = adapter ? toStatus(adapter.status()) : { state: 'unknown' };
  const listeners = new Set<(status: BluetoothStatus) => void>();

  const publish = (next: BluetoothStatus) => {
    if (next.state === status.state && next.reason === status.reason) return;
    status = next;
    for (const listener of listeners) listener(status);
  };

  const load = (): Promise<BleAdapter> => {
    if (adapter) return Promise.resolve(adapter);
    loading ??= (deps.adapter as () => Promise<BleAdapter>)().then(
      (loaded) => {
        adapter = loaded;
        loaded.onStatus((s) => publish(toStatus(s)));
        publish(toStatus(loaded.status()));
        return loaded;
      },
      (error: unknown) => {
        deps.logger.warn('devices.ble.load_failed', {
          error: error instanceof Error ? error.name : 'unknown',
        });
        publish({ state: 'unsupported' });
        throw error;
      },
    );
    return loading;
  };
  if (adapter) adapter.onStatus((s) => publish(toStatus(s)));

  return {
    connector: bleConnector({
      adapter: () => load(),
      clock: deps.clock,
      logger: deps.logger,
      ...(deps.clockPolicy ? { clockPolicy: deps.clockPolicy } : {}),
    }),
    drivers: BLE_DRIVERS.map((d) => ({ id: d.id, name: d.label })),
    status() {
      // Asking for the state is what first loads a lazy adapter; the answer follows as an event.
      if (!adapter) void load().catch(() => undefined);
      return status;
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async scan(seconds) {
      const radio = await load();
      const found = new Map<string, BleScanResult>();
      await radio.startScan(HEALTH_SERVICE_UUIDS, (peripheral) => {
        const services = peripheral.services.map(normalizeUuid);
        const driver = BLE_DRIVERS.find((d) => services.includes(d.service));
        found.set(peripheral.address, {
          address: peripheral.address,
          ...(peripheral.name ? { name: peripheral.name } : {}),
          services,
          rssi: peripheral.rssi,
          ...(driver ? { suggestedDriver: driver.id } : {}),
        });
      });
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      await radio.stopScan();
      return [...found.values()];
    },
  };
}

function toStatus(status: BleAdapterStatus): BluetoothStatus {
  return status.reason ? { state: status.state, reason: status.reason } : { state: status.state };
}
