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
import type { DeviceReading, Transport, WaveformBatch } from '../../shared/devices/reading';
import type {
  BleScanResult,
  BluetoothState,
  DeviceEntry,
  SerialPortSummary,
} from '../../shared/ipc/channels/devices';
import type { EventBus } from '../ipc/event-bus';
import type { Logger } from '../logging/logger';
import type {
  AllowedDevice,
  AllowedDeviceStore,
  DeviceConnection,
  DeviceConnector,
  DeviceStatus,
  ReadingSink,
} from './types';

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

export interface PairRequest {
  name: string;
  transport: Transport;
  driver: string;
  address?: string | undefined;
  usbVendorId?: string | undefined;
  usbProductId?: string | undefined;
}

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
}

type Battery = NonNullable<DeviceEntry['battery']>;

interface LiveDevice {
  status: DeviceStatus;
  battery: Battery | null;
  info: DeviceEntry['info'];
  lastReading: DeviceReading | null;
  /** The nurse asked for this device to be connected; drops are then retried. */
  wanted: boolean;
  connection: DeviceConnection | undefined;
  /** Bumped on every connect attempt, so callbacks of an older connection are ignored. */
  session: number;
  attempt: number;
  /** A connect attempt is under way: its failure is reported by whoever started it, not by the sink. */
  opening: boolean;
  /** Between a drop and the device's return: keep saying "reconnecting" rather than each attempt's status. */
  reconnecting: boolean;
  reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  wave: {
    signal: WaveformBatch['signal'];
    sampleRateHz: number;
    pending: number[];
    nextSample: number;
    timer: ReturnType<typeof setTimeout> | undefined;
  } | null;
}

const LOW_BATTERY_PERCENT = 20;

export function createDeviceManager(deps: DeviceManagerDeps) {
  const { store, events, logger } = deps;
  const waveformBatchMs = deps.waveformBatchMs ?? 200;
  const backoff = deps.reconnect ?? { initialMs: 500, maxMs: 30_000 };
  const newDeviceId = deps.newDeviceId ?? randomUUID;
  const live = new Map<string, LiveDevice>();
  let closed = false;

  const unsubscribeBluetooth = deps.bluetooth.onStatus((status) => {
    events.emit('devices.bluetooth', bluetoothState(status));
  });

  function bluetoothState(status: BluetoothStatus = deps.bluetooth.status()): BluetoothState {
    return { state: status.state, message: status.reason ?? BLUETOOTH_MESSAGES[status.state] };
  }

  function liveOf(id: string): LiveDevice {
    let entry = live.get(id);
    if (!entry) {
      entry = {
        status: { state: 'disconnected' },
        battery: null,
        info: {},
        lastReading: null,
        wanted: false,
        connection: undefined,
        session: 0,
        attempt: 0,
        opening: false,
        reconnecting: false,
        reconnectTimer: undefined,
        wave: null,
      };
      live.set(id, entry);
    }
    return entry;
  }

  function findDevice(id: string): AllowedDevice {
    const device = store.list().find((d) => d.id === id);
    if (!device) throw new AppError('NOT_FOUND', 'That device is not paired with this workstation.');
    return device;
  }

  function entryOf(device: AllowedDevice): DeviceEntry {
    const state = liveOf(device.id);
    return {
      ...device,
      status: state.status,
      battery: state.battery,
      info: state.info,
      lastReading: state.lastReading,
    };
  }

  function publishStatus(id: string, state: LiveDevice) {
    events.emit('devices.status', { deviceId: id, status: state.status, battery: state.battery });
  }

  function setStatus(id: string, status: DeviceStatus) {
    const state = liveOf(id);
    state.status = status;
    publishStatus(id, state);
  }

  function flushWaveform(id: string, state: LiveDevice) {
    const wave = state.wave;
    if (!wave) return;
    if (wave.timer) clearTimeout(wave.timer);
    wave.timer = undefined;
    if (wave.pending.length === 0) return;
    const samples = wave.pending;
    wave.pending = [];
    events.emit('devices.waveform', {
      deviceId: id,
      signal: wave.signal,
      sampleRateHz: wave.sampleRateHz,
      firstSample: wave.nextSample,
      samples,
    });
    wave.nextSample += samples.length;
  }

  function connectorFor(device: AllowedDevice): DeviceConnector {
    return device.transport === 'serial' ? deps.serial.connector : deps.bluetooth.connector;
  }

  function sinkFor(device: AllowedDevice, state: LiveDevice, session: number): ReadingSink {
    const current = () => state.session === session && !closed;
    return {
      reading(reading) {
        if (!current()) return;
        state.lastReading = reading;
        events.emit('devices.reading', reading);
      },
      waveform(batch) {
        if (!current()) return;
        if (
          !state.wave ||
          state.wave.signal !== batch.signal ||
          state.wave.sampleRateHz !== batch.sampleRateHz
        ) {
          if (state.wave) flushWaveform(device.id, state);
          state.wave = {
            signal: batch.signal,
            sampleRateHz: batch.sampleRateHz,
            pending: [],
            nextSample: state.wave?.nextSample ?? 0,
            timer: undefined,
          };
        }
        const wave = state.wave;
        for (const sample of batch.samples) wave.pending.push(sample);
        if (!wave.timer) {
          wave.timer = setTimeout(() => flushWaveform(device.id, state), waveformBatchMs);
          wave.timer.unref?.();
        }
      },
      status(status) {
        if (!current()) return;
        const down = status.state === 'disconnected' || status.state === 'error';
        if (state.opening && (down || (state.reconnecting && status.state === 'connecting'))) return;
        if (down && state.wanted) {
          deviceWentAway(device, state, status);
          return;
        }
        setStatus(device.id, status);
      },
      battery(percent) {
        if (!current()) return;
        const clamped = Math.max(0, Math.min(100, Math.round(percent)));
        state.battery = { percent: clamped, low: clamped <= LOW_BATTERY_PERCENT };
        publishStatus(device.id, state);
      },
      cuffPressure(mmHg) {
        if (!current()) return;
        events.emit('devices.cuffPressure', { deviceId: device.id, mmHg });
      },
      batteryLow(low) {
        if (!current()) return;
        if (state.battery?.low === low) return;
        state.battery = { ...(state.battery ?? {}), low };
        publishStatus(device.id, state);
      },
      info(info) {
        if (!current()) return;
        state.info = { ...state.info, ...definedOnly(info) };
      },
    };
  }

  function deviceWentAway(device: AllowedDevice, state: LiveDevice, status: DeviceStatus) {
    flushWaveform(device.id, state);
    state.connection = undefined;
    state.session++;
    state.reconnecting = true;
    logger.info('devices.went_away', { transport: device.transport, driver: device.driver });
    setStatus(device.id, {
      state: 'error',
      reason:
        status.state === 'error'
          ? `${status.reason} Reconnecting when the device is back.`
          : 'The device was disconnected. Reconnecting when it is back.',
    });
    scheduleReconnect(device.id);
  }

  function scheduleReconnect(id: string) {
    const state = liveOf(id);
    if (!state.wanted || closed || state.reconnectTimer) return;
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** state.attempt);
    state.attempt++;
    state.reconnectTimer = setTimeout(() => {
      state.reconnectTimer = undefined;
      const device = store.list().find((d) => d.id === id);
      if (!device || !state.wanted || closed) return;
      void open(device, state).catch(() => scheduleReconnect(id));
    }, delay);
    state.reconnectTimer.unref?.();
  }

  async function open(device: AllowedDevice, state: LiveDevice): Promise<void> {
    const session = ++state.session;
    state.opening = true;
    let connection: DeviceConnection;
    try {
      connection = await connectorFor(device).connect(device, sinkFor(device, state, session));
    } finally {
      state.opening = false;
    }
    if (state.session !== session || !state.wanted || closed) {
      // Disconnected (or unpaired) while opening: do not leave the port open.
      await connection.close();
      return;
    }
    state.connection = connection;
    state.attempt = 0;
    if (state.reconnecting) {
      state.reconnecting = false;
      // The connector said "connected" while the manager still showed "reconnecting": say it now.
      if (state.status.state === 'error') setStatus(device.id, { state: 'connected' });
    }
    logger.info('devices.connected', { transport: device.transport, driver: device.driver });
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
      if (!driversFor(request.transport).some((d) => d.id === request.driver)) {
        throw new AppError('VALIDATION', 'That device type is not supported for this connection.', [
          { path: 'driver', message: 'Choose one of the supported device types.' },
        ]);
      }
      const device: AllowedDevice = {
        id: newDeviceId(),
        name: request.name,
        transport: request.transport,
        driver: request.driver,
      };
      if (request.transport === 'serial') {
        const hasIds = Boolean(request.usbVendorId && request.usbProductId);
        if (!request.address && !hasIds) {
          throw new AppError('VALIDATION', 'Choose the serial port, or give the USB vendor and product id.', [
            { path: 'address', message: 'Choose a port or give both USB ids.' },
          ]);
        }
        if (request.address) device.address = request.address;
        if (hasIds) {
          device.usbVendorId = request.usbVendorId!.toLowerCase();
          device.usbProductId = request.usbProductId!.toLowerCase();
        }
      } else {
        if (!request.address) {
          throw new AppError('VALIDATION', 'Choose the Bluetooth device from a scan.', [
            { path: 'address', message: 'Scan and choose a device.' },
          ]);
        }
        device.address = request.address;
      }
      const duplicate = store
        .list()
        .find(
          (d) =>
            d.transport === device.transport &&
            d.driver === device.driver &&
            d.address === device.address &&
            d.usbVendorId === device.usbVendorId &&
            d.usbProductId === device.usbProductId,
        );
      if (duplicate) {
        throw new AppError('CONFLICT', `This device is already paired as “${duplicate.name}”.`);
      }
      if (deps.isAllowedByPolicy && !deps.isAllowedByPolicy(device)) {
        throw new AppError(
          'FORBIDDEN',
          'Your IT department does not allow this device at this workstation. Ask them to add it to the list of allowed devices.',
        );
      }
      store.save(device);
      logger.info('devices.paired', { transport: device.transport, driver: device.driver });
      return entryOf(device);
    },

    async unpair(id: string): Promise<{ id: string }> {
      const device = findDevice(id);
      await disconnect(device);
      store.remove(id);
      live.delete(id);
      logger.info('devices.unpaired', { transport: device.transport, driver: device.driver });
      return { id };
    },

    async connect(id: string): Promise<DeviceEntry> {
      const device = findDevice(id);
      const state = liveOf(id);
      if (device.transport === 'ble') {
        const bluetooth = bluetoothState();
        if (bluetooth.state !== 'poweredOn') throw new AppError('UNAVAILABLE', sentence(bluetooth.message));
      }
      if (state.wanted && (state.connection || state.reconnectTimer)) return entryOf(device);
      state.wanted = true;
      state.attempt = 0;
      setStatus(id, { state: 'connecting' });
      try {
        await open(device, state);
      } catch (error) {
        state.wanted = false;
        state.session++;
        const message =
          error instanceof AppError ? error.message : 'The device could not be connected. Please try again.';
        if (!(error instanceof AppError)) {
          logger.error('devices.connect_failed', { error: error instanceof Error ? error.name : 'unknown' });
        }
        setStatus(id, { state: 'error', reason: message });
        throw error instanceof AppError ? error : new AppError('DEVICE', message);
      }
      return entryOf(device);
    },

    async disconnect(id: string): Promise<DeviceEntry> {
      const device = findDevice(id);
      await disconnect(device);
      return entryOf(device);
    },

    lastReading(id: string): DeviceReading | null {
      return live.get(id)?.lastReading ?? null;
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
        if (live.has(device.id)) await disconnect(device).catch(() => undefined);
      }
      closed = true;
      unsubscribeBluetooth();
    },
  };

  async function disconnect(device: AllowedDevice): Promise<void> {
    const state = liveOf(device.id);
    state.wanted = false;
    state.reconnecting = false;
    state.session++;
    if (state.reconnectTimer) clearTimeout(state.reconnectTimer);
    state.reconnectTimer = undefined;
    flushWaveform(device.id, state);
    const connection = state.connection;
    state.connection = undefined;
    if (connection) {
      try {
        await connection.close();
      } catch (error) {
        logger.warn('devices.close_failed', { error: error instanceof Error ? error.name : 'unknown' });
      }
    }
    if (state.status.state !== 'disconnected') setStatus(device.id, { state: 'disconnected' });
  }
}

export type DeviceManager = ReturnType<typeof createDeviceManager>;

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function definedOnly<T extends Record<string, string | undefined>>(info: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(info))
    if (value !== undefined) (out as Record<string, string>)[key] = value;
  return out;
}
