/**
 * The device manager: which devices the clinic allows (through AllowedDeviceStore), their live status
 * and battery, connecting and disconnecting them, reconnecting with exponential backoff when a device
 * that went away comes back, and fanning readings, waveforms and status out to the core's event bus.
 *
 * It keeps the last reading per device so the intake screen can show a live value; a reading becomes an
 * Observation only when the nurse accepts it (elsewhere). Readings and waveforms are never stored here.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/ipc/errors';
import type { DeviceReading, Transport } from '../../shared/devices/reading';
import type {
  BleScanResult,
  BluetoothState,
  DeviceEntry,
  SerialPortSummary,
} from '../../shared/ipc/channels/devices';
import type { EventBus } from '../ipc/event-bus';
import type { Logger } from '../logging/logger';
import { createConnections } from './manager/connections';
import { createManagerContext } from './manager/context';
import { createLiveValues } from './manager/live-values';
import { pairDevice, type PairRequest } from './manager/pairing';
import { createReadingDesk } from './manager/reading-desk';
import { DEFAULT_FRESHNESS, type FreshnessPolicy } from './rules/freshness';
import { systemClock, type Clock } from '../platform/clock';
import type { AllowedDevice, AllowedDeviceStore, DeviceConnector } from './types';

export type BluetoothAdapterState = BluetoothState['state'];

/** What the manager needs of Bluetooth: its adapter state, a scan, and a connector for BLE devices. */
export interface BluetoothService {
  readonly connector: DeviceConnector;
  readonly drivers: readonly DriverSummary[];
  /** The adapter state, with a sentence for the nurse when it cannot be used. */
  status(): BluetoothStatus;
  onStatus(listener: (status: BluetoothStatus) => void): () => void;
  scan(seconds: number): Promise<BleScanResult[]>;
}

export interface BluetoothStatus {
  state: BluetoothAdapterState;
  reason?: string | undefined;
}

export interface DriverSummary {
  id: string;
  name: string;
}

/** For machines without a Bluetooth radio (or before the BLE adapter is available): says so, never crashes. */
export function unsupportedBluetooth(): BluetoothService {
  return {
    connector: {
      transport: 'ble',
      connect: () => Promise.reject(new AppError('UNAVAILABLE', BLUETOOTH_MESSAGES.unsupported + '.')),
    },
    drivers: [],
    status: () => ({ state: 'unsupported' }),
    onStatus: () => () => undefined,
    scan: () => Promise.reject(new AppError('UNAVAILABLE', BLUETOOTH_MESSAGES.unsupported + '.')),
  };
}

export const BLUETOOTH_MESSAGES: Readonly<Record<BluetoothAdapterState, string>> = {
  poweredOn: 'Bluetooth on',
  poweredOff: 'Bluetooth is turned off',
  unsupported: 'Bluetooth unavailable',
  unauthorized: 'Bluetooth unavailable: this app is not allowed to use it',
  resetting: 'Bluetooth is restarting',
  unknown: 'Bluetooth is starting',
};

export type { PairRequest } from './manager/pairing';

export interface DeviceManagerDeps {
  store: AllowedDeviceStore;
  serial: {
    connector: DeviceConnector;
    drivers: readonly DriverSummary[];
    listPorts: () => Promise<{ ports: SerialPortSummary[]; complete: boolean; note?: string }>;
  };
  bluetooth: BluetoothService;
  events: Pick<EventBus, 'emit'>;
  logger: Logger;
  /** Waveform samples are sent to the renderer in batches this often (ms). */
  waveformBatchMs?: number;
  /** Reconnect backoff after a device goes away: first delay, doubling up to the maximum. */
  reconnect?: { initialMs: number; maxMs: number };
  newDeviceId?: () => string;
  /** IT's rule for which devices may be paired here (policy `allowedDevices`); default: any supported one. */
  isAllowedByPolicy?: (device: AllowedDevice) => boolean;
  /** How long a live value stays acceptable (policy); default 30 s spot-check, 5 s streaming. */
  freshness?: () => FreshnessPolicy;
  /** The time acceptance is judged by. */
  clock?: Clock;
}

export function createDeviceManager(deps: DeviceManagerDeps) {
  const { store, events, logger } = deps;
  const newDeviceId = deps.newDeviceId ?? randomUUID;
  let closed = false;
  const ctx = createManagerContext({
    store,
    events,
    logger,
    isClosed: () => closed,
    notFound: () => new AppError('NOT_FOUND', 'That device is not paired with this workstation.'),
  });
  const connections = createConnections(ctx, {
    connectorFor: (device) =>
      device.transport === 'serial' ? deps.serial.connector : deps.bluetooth.connector,
    backoff: deps.reconnect ?? { initialMs: 500, maxMs: 30_000 },
    liveValues: () => liveValues,
  });
  const freshness = deps.freshness ?? (() => DEFAULT_FRESHNESS);
  const readings = createReadingDesk(ctx, { clock: deps.clock ?? systemClock, freshness });
  const liveValues = createLiveValues(ctx, {
    waveformBatchMs: deps.waveformBatchMs ?? 200,
    freshness,
    wentAway: connections.wentAway,
  });

  const unsubscribeBluetooth = deps.bluetooth.onStatus((status) => {
    events.emit('devices.bluetooth', bluetoothState(status));
  });

  function bluetoothState(status: BluetoothStatus = deps.bluetooth.status()): BluetoothState {
    return { state: status.state, message: status.reason ?? BLUETOOTH_MESSAGES[status.state] };
  }

  function entryOf(device: AllowedDevice): DeviceEntry {
    const state = ctx.liveOf(device.id);
    return {
      ...device,
      status: state.status,
      battery: state.battery,
      info: state.info,
      lastReading: state.lastReading,
      memory: state.memory,
      clock: state.clock,
    };
  }

  function driversFor(transport: Transport): readonly DriverSummary[] {
    return transport === 'serial' ? deps.serial.drivers : deps.bluetooth.drivers;
  }

  return {
    list() {
      return {
        devices: store.list().map(entryOf),
        bluetooth: bluetoothState(),
        drivers: [
          ...deps.serial.drivers.map((d) => ({ ...d, transport: 'serial' as const })),
          ...deps.bluetooth.drivers.map((d) => ({ ...d, transport: 'ble' as const })),
        ],
      };
    },

    pair(request: PairRequest): DeviceEntry {
      return entryOf(
        pairDevice(request, {
          store,
          logger,
          newDeviceId,
          isSupported: (transport, driver) => driversFor(transport).some((d) => d.id === driver),
          isAllowedByPolicy: deps.isAllowedByPolicy,
        }),
      );
    },

    /** The pairing as stored, to restore it if its removal cannot be recorded. */
    pairing(id: string): AllowedDevice {
      return { ...ctx.findDevice(id) };
    },

    /** Puts a pairing back as it was (same id): an unpairing whose audit record could not be written. */
    restorePairing(device: AllowedDevice): void {
      store.save(device);
      logger.info('devices.pairing_restored', { transport: device.transport, driver: device.driver });
    },

    async unpair(id: string): Promise<{ id: string }> {
      const device = ctx.findDevice(id);
      await connections.disconnect(device);
      store.remove(id);
      ctx.live.delete(id);
      logger.info('devices.unpaired', { transport: device.transport, driver: device.driver });
      return { id };
    },

    async connect(id: string): Promise<DeviceEntry> {
      const device = ctx.findDevice(id);
      if (device.transport === 'ble') {
        const bluetooth = bluetoothState();
        if (bluetooth.state !== 'poweredOn') throw new AppError('UNAVAILABLE', sentence(bluetooth.message));
      }
      await connections.connect(device);
      return entryOf(device);
    },

    async disconnect(id: string): Promise<DeviceEntry> {
      const device = ctx.findDevice(id);
      await connections.disconnect(device);
      return entryOf(device);
    },

    lastReading(id: string): DeviceReading | null {
      return ctx.live.get(id)?.lastReading ?? null;
    },

    ...readings,

    async setClock(id: string): Promise<DeviceEntry> {
      const device = ctx.findDevice(id);
      const connection = ctx.liveOf(id).connection;
      if (!connection) throw new AppError('CONFLICT', 'Connect the device first.');
      if (!connection.setClock) throw new AppError('DEVICE', 'This device does not let its clock be set.');
      try {
        await connection.setClock();
      } catch {
        throw new AppError('DEVICE', 'The device did not accept the new time. Try again.');
      }
      logger.info('devices.clock_set', { transport: device.transport, driver: device.driver });
      return entryOf(device);
    },

    serialPorts() {
      return deps.serial.listPorts();
    },

    async bleScan(seconds: number): Promise<BleScanResult[]> {
      const bluetooth = bluetoothState();
      if (bluetooth.state !== 'poweredOn') throw new AppError('UNAVAILABLE', sentence(bluetooth.message));
      return deps.bluetooth.scan(seconds);
    },

    bluetoothState,

    async close(): Promise<void> {
      for (const device of store.list()) {
        if (ctx.live.has(device.id)) await connections.disconnect(device).catch(() => undefined);
      }
      closed = true;
      unsubscribeBluetooth();
    },
  };
}

export type DeviceManager = ReturnType<typeof createDeviceManager>;

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
