/**
 * The BleAdapter on a real radio, through @abandonware/noble. Noble is loaded lazily and inside
 * try/catch: on a machine without a usable Bluetooth socket its import throws (EAFNOSUPPORT on Linux
 * without a Bluetooth stack, a missing native binding, an unsupported OS), and the app must then show
 * "Bluetooth unavailable", never crash. Only the small part of noble's API used here is typed.
 */
import { silentLogger, type Logger } from '../../logging/logger';
import {
  BLUETOOTH_UNAVAILABLE,
  normalizeUuid,
  type BleAdapter,
  type BleAdapterState,
  type BleAdapterStatus,
  type BlePeripheralLink,
  type BleServiceInfo,
  type DiscoveredPeripheral,
} from './adapter';

interface NobleCharacteristic {
  uuid: string;
  properties: string[];
  readAsync(): Promise<Buffer>;
  writeAsync(data: Buffer, withoutResponse: boolean): Promise<void>;
  subscribeAsync(): Promise<void>;
  unsubscribeAsync(): Promise<void>;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  removeListener(event: 'data', listener: (data: Buffer) => void): unknown;
}

interface NobleService {
  uuid: string;
  characteristics?: NobleCharacteristic[] | null;
}

interface NoblePeripheral {
  id: string;
  address?: string;
  rssi: number;
  advertisement?: { localName?: string; serviceUuids?: string[] };
  connectAsync(): Promise<void>;
  disconnectAsync(): Promise<void>;
  cancelConnect(): void;
  discoverAllServicesAndCharacteristicsAsync(): Promise<{ services: NobleService[] }>;
  once(event: 'disconnect', listener: () => void): unknown;
}

interface Noble {
  state?: string;
  _state?: string;
  on(event: 'stateChange', listener: (state: string) => void): unknown;
  on(event: 'discover', listener: (p: NoblePeripheral) => void): unknown;
  removeListener(event: 'discover', listener: (p: NoblePeripheral) => void): unknown;
  startScanningAsync(serviceUuids?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}

export interface NobleAdapterOptions {
  logger?: Logger;
  /** Loads noble; replaceable only to test the failure paths of a load that cannot fail here. */
  load?: () => Promise<unknown>;
  /** How long connect/scan wait for the radio to power on after start-up. */
  poweredOnTimeoutMs?: number;
}

const KNOWN_STATES: readonly BleAdapterState[] = [
  'unknown',
  'resetting',
  'poweredOn',
  'poweredOff',
  'unauthorized',
  'unsupported',
];

const REASONS: Partial<Record<BleAdapterState, string>> = {
  unsupported: BLUETOOTH_UNAVAILABLE,
  unauthorized: 'This app is not allowed to use Bluetooth. Ask IT to allow it.',
  poweredOff: 'Bluetooth is switched off on this computer.',
};

export function statusFor(state: string): BleAdapterStatus {
  const known = (KNOWN_STATES as readonly string[]).includes(state) ? (state as BleAdapterState) : 'unknown';
  const reason = REASONS[known];
  return reason ? { state: known, reason } : { state: known };
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string')
    return error.code;
  return error instanceof Error ? error.name : 'unknown';
}

/** An adapter for a machine where Bluetooth cannot be used at all. */
export function unavailableAdapter(reason = BLUETOOTH_UNAVAILABLE): BleAdapter {
  const status: BleAdapterStatus = { state: 'unsupported', reason };
  const refuse = async (): Promise<never> => {
    throw Object.assign(new Error(reason), { name: 'BluetoothUnavailable' });
  };
  return {
    status: () => status,
    onStatus: () => () => undefined,
    startScan: refuse,
    stopScan: async () => undefined,
    connect: refuse,
  };
}

function timeout<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
    }, ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function isNoble(value: unknown): value is Noble {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { on?: unknown }).on === 'function' &&
    typeof (value as { startScanningAsync?: unknown }).startScanningAsync === 'function'
  );
}

class NobleLink implements BlePeripheralLink {
  readonly address: string;
  private readonly characteristics = new Map<string, NobleCharacteristic>();
  private closing = false;

  constructor(
    private readonly peripheral: NoblePeripheral,
    address: string,
  ) {
    this.address = address;
  }

  async discover(): Promise<BleServiceInfo[]> {
    const { services } = await this.peripheral.discoverAllServicesAndCharacteristicsAsync();
    return services.map((s) => {
      const serviceUuid = normalizeUuid(s.uuid);
      const characteristics = (s.characteristics ?? []).map((c) => {
        const uuid = normalizeUuid(c.uuid);
        this.characteristics.set(`${serviceUuid}/${uuid}`, c);
        return { uuid, properties: [...c.properties] };
      });
      return { uuid: serviceUuid, characteristics };
    });
  }

  private find(service: string, characteristic: string): NobleCharacteristic {
    const c = this.characteristics.get(`${normalizeUuid(service)}/${normalizeUuid(characteristic)}`);
    if (!c) throw new Error('characteristic not discovered');
    return c;
  }

  async read(service: string, characteristic: string): Promise<Uint8Array> {
    return Uint8Array.from(await this.find(service, characteristic).readAsync());
  }

  async write(
    service: string,
    characteristic: string,
    data: Uint8Array,
    withResponse: boolean,
  ): Promise<void> {
    await this.find(service, characteristic).writeAsync(Buffer.from(data), !withResponse);
  }

  async subscribe(
    service: string,
    characteristic: string,
    listener: (value: Uint8Array) => void,
  ): Promise<() => Promise<void>> {
    const c = this.find(service, characteristic);
    const onData = (data: Buffer) => listener(Uint8Array.from(data));
    c.on('data', onData);
    await c.subscribeAsync();
    return async () => {
      c.removeListener('data', onData);
      await c.unsubscribeAsync();
    };
  }

  onDisconnect(listener: () => void): void {
    this.peripheral.once('disconnect', () => {
      if (!this.closing) listener();
    });
  }

  async disconnect(): Promise<void> {
    this.closing = true;
    await this.peripheral.disconnectAsync();
  }
}

/**
 * Creates the adapter on the machine's radio. Never rejects: when noble cannot load or start, the
 * adapter says 'unsupported' with the reason "Bluetooth unavailable".
 */
export async function createNobleAdapter(options: NobleAdapterOptions = {}): Promise<BleAdapter> {
  const logger = options.logger ?? silentLogger;
  const poweredOnTimeoutMs = options.poweredOnTimeoutMs ?? 5000;
  let noble: Noble;
  try {
    const mod = await (options.load ?? (() => import('@abandonware/noble')))();
    const candidate = (mod as { default?: unknown }).default ?? mod;
    if (!isNoble(candidate)) throw Object.assign(new Error('not noble'), { code: 'BAD_MODULE' });
    noble = candidate;
  } catch (error) {
    logger.warn('devices.ble.unavailable', { error: errorCode(error) });
    return unavailableAdapter();
  }

  let current = statusFor(noble.state ?? noble._state ?? 'unknown');
  const listeners = new Set<(s: BleAdapterStatus) => void>();
  const known = new Map<string, NoblePeripheral>();
  const addressOf = (p: NoblePeripheral) => (p.address && p.address !== 'unknown' ? p.address : p.id);

  try {
    // The first stateChange listener makes noble open its bindings, which can throw too.
    noble.on('stateChange', (state: string) => {
      current = statusFor(state);
      logger.info('devices.ble.adapter_state', { state: current.state });
      for (const l of listeners) l(current);
    });
    noble.on('discover', (p: NoblePeripheral) => {
      // Phones and watches rotate private addresses: keep the map of seen peripherals bounded.
      if (known.size >= 1000) known.clear();
      known.set(addressOf(p), p);
    });
  } catch (error) {
    logger.warn('devices.ble.unavailable', { error: errorCode(error) });
    return unavailableAdapter();
  }

  const whenPoweredOn = async (): Promise<void> => {
    if (current.state === 'poweredOn') return;
    if (current.state !== 'unknown' && current.state !== 'resetting') {
      throw new Error(current.reason ?? BLUETOOTH_UNAVAILABLE);
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(BLUETOOTH_UNAVAILABLE));
      }, poweredOnTimeoutMs);
      const check = (s: BleAdapterStatus) => {
        if (s.state === 'unknown' || s.state === 'resetting') return;
        clearTimeout(timer);
        listeners.delete(check);
        if (s.state === 'poweredOn') resolve();
        else reject(new Error(s.reason ?? BLUETOOTH_UNAVAILABLE));
      };
      listeners.add(check);
    });
  };

  let scanListener: ((p: NoblePeripheral) => void) | undefined;

  const adapter: BleAdapter = {
    status: () => current,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async startScan(services, onDiscover) {
      await whenPoweredOn();
      if (scanListener) noble.removeListener('discover', scanListener);
      const wanted = services.map(normalizeUuid);
      scanListener = (p: NoblePeripheral) => {
        const advertised = (p.advertisement?.serviceUuids ?? []).map(normalizeUuid);
        if (wanted.length > 0 && !advertised.some((u) => wanted.includes(u))) return;
        const found: DiscoveredPeripheral = { address: addressOf(p), rssi: p.rssi, services: advertised };
        const name = p.advertisement?.localName;
        if (name) found.name = name;
        onDiscover(found);
      };
      noble.on('discover', scanListener);
      await noble.startScanningAsync(wanted, false);
    },
    async stopScan() {
      if (scanListener) noble.removeListener('discover', scanListener);
      scanListener = undefined;
      await noble.stopScanningAsync().catch(() => undefined);
    },
    async connect(address, connectOptions) {
      const ms = connectOptions?.timeoutMs ?? 15_000;
      await whenPoweredOn();
      let peripheral = known.get(address);
      if (!peripheral) {
        // Not seen since start-up: scan until it advertises.
        let seek: ((p: NoblePeripheral) => void) | undefined;
        const found = new Promise<NoblePeripheral>((resolve) => {
          seek = (p: NoblePeripheral) => {
            if (addressOf(p) === address) resolve(p);
          };
          noble.on('discover', seek);
          noble.startScanningAsync([], false).catch(() => undefined);
        });
        try {
          peripheral = await timeout(found, ms, () => undefined);
        } finally {
          if (seek) noble.removeListener('discover', seek);
          await noble.stopScanningAsync().catch(() => undefined);
        }
      }
      const target = peripheral;
      await timeout(target.connectAsync(), ms, () => target.cancelConnect());
      return new NobleLink(target, address);
    },
  };
  return adapter;
}
