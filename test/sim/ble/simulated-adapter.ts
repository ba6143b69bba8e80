/**
 * A simulated Bluetooth radio and peripherals implementing the app's BleAdapter interface: the stand-in
 * for real hardware in tests (there is no radio here). Peripherals hold GATT services whose values are
 * the specification's bytes (see encoders.ts); they can drop the link, go out of range and come back.
 */
import type {
  BleAdapter,
  BleAdapterState,
  BleAdapterStatus,
  BlePeripheralLink,
  BleServiceInfo,
  DiscoveredPeripheral,
} from '../../../main/devices/ble/adapter';

export interface SimCharacteristic {
  uuid: string;
  properties: string[];
  value?: Uint8Array;
  /** Handles a write (e.g. a control point); may notify in response. */
  onWrite?: (data: Uint8Array, peripheral: SimulatedPeripheral) => void;
  /** A value computed when read (a clock), instead of `value`. */
  onRead?: () => Uint8Array;
  /** Called when a central subscribes (a device sending its stored backlog as soon as it can). */
  onSubscribe?: (peripheral: SimulatedPeripheral) => void;
}

export interface SimService {
  uuid: string;
  characteristics: SimCharacteristic[];
}

type Listener = (value: Uint8Array) => void;

/** Deliveries scheduled and not yet made, across every simulated adapter. */
let pendingDeliveries = 0;

/** Delivery is asynchronous, as over the air. */
const later = (fn: () => void) => {
  pendingDeliveries++;
  setImmediate(() => {
    pendingDeliveries--;
    fn();
  });
};

/**
 * Resolves once the simulated radio has nothing left to deliver: no delivery pending over a few turns of
 * the event loop, so whatever a delivery set off (an answer written back, the next record) has been
 * delivered too. A test waits on this rather than on a time a slow machine may not get through.
 */
export async function radioIdle(): Promise<void> {
  for (let quiet = 0; quiet < 3;) {
    await new Promise((resolve) => setImmediate(resolve));
    quiet = pendingDeliveries === 0 ? quiet + 1 : 0;
  }
}

export class SimulatedPeripheral {
  readonly address: string;
  readonly name: string;
  rssi: number;
  readonly services: SimService[];
  /** False: out of range or switched off; connect() fails. */
  inRange = true;
  private link: SimLink | undefined;
  /** Every value notified, for tests that count. */
  readonly sent: { characteristic: string; value: Uint8Array }[] = [];
  connectCount = 0;

  constructor(options: { address: string; name: string; rssi?: number; services: SimService[] }) {
    this.address = options.address;
    this.name = options.name;
    this.rssi = options.rssi ?? -60;
    this.services = options.services;
  }

  get connected(): boolean {
    return this.link !== undefined;
  }

  advertisedServices(): string[] {
    // Peripherals advertise their main service, not DIS or Battery.
    return this.services.map((s) => s.uuid).filter((u) => u !== '180a' && u !== '180f');
  }

  characteristic(service: string, uuid: string): SimCharacteristic | undefined {
    return this.services.find((s) => s.uuid === service)?.characteristics.find((c) => c.uuid === uuid);
  }

  setValue(service: string, uuid: string, value: Uint8Array): void {
    const c = this.characteristic(service, uuid);
    if (!c) throw new Error(`no characteristic ${service}/${uuid}`);
    c.value = value;
  }

  /** Sends a notification/indication to a subscribed central, if connected. Returns whether it was delivered. */
  notify(service: string, uuid: string, value: Uint8Array): boolean {
    this.sent.push({ characteristic: uuid, value });
    return this.link?.deliver(service, uuid, value) ?? false;
  }

  /** The peripheral goes away (out of range, switched off): the link drops. */
  dropLink(): void {
    this.inRange = false;
    const link = this.link;
    this.link = undefined;
    link?.dropped();
  }

  comeBack(): void {
    this.inRange = true;
  }

  /** @internal */
  attach(link: SimLink): void {
    this.link = link;
    this.connectCount++;
  }

  /** @internal */
  detach(link: SimLink): void {
    if (this.link === link) this.link = undefined;
  }
}

class SimLink implements BlePeripheralLink {
  readonly address: string;
  private readonly subscriptions = new Map<string, Listener>();
  private disconnectListeners: (() => void)[] = [];
  private open = true;

  constructor(private readonly peripheral: SimulatedPeripheral) {
    this.address = peripheral.address;
  }

  private ensureOpen(): void {
    if (!this.open) throw new Error('link closed');
  }

  async discover(): Promise<BleServiceInfo[]> {
    this.ensureOpen();
    return this.peripheral.services.map((s) => ({
      uuid: s.uuid,
      characteristics: s.characteristics.map((c) => ({ uuid: c.uuid, properties: [...c.properties] })),
    }));
  }

  async read(service: string, characteristic: string): Promise<Uint8Array> {
    this.ensureOpen();
    const c = this.peripheral.characteristic(service, characteristic);
    if (!c || !c.properties.includes('read')) throw new Error('not readable');
    return Uint8Array.from(c.onRead ? c.onRead() : (c.value ?? []));
  }

  async write(service: string, characteristic: string, data: Uint8Array): Promise<void> {
    this.ensureOpen();
    const c = this.peripheral.characteristic(service, characteristic);
    if (!c || !(c.properties.includes('write') || c.properties.includes('writeWithoutResponse'))) {
      throw new Error('not writable');
    }
    const copy = Uint8Array.from(data);
    later(() => c.onWrite?.(copy, this.peripheral));
  }

  async subscribe(service: string, characteristic: string, listener: Listener): Promise<() => Promise<void>> {
    this.ensureOpen();
    const c = this.peripheral.characteristic(service, characteristic);
    if (!c || !(c.properties.includes('notify') || c.properties.includes('indicate'))) {
      throw new Error('cannot subscribe');
    }
    const key = `${service}/${characteristic}`;
    this.subscriptions.set(key, listener);
    if (c.onSubscribe) later(() => c.onSubscribe?.(this.peripheral));
    return async () => {
      this.subscriptions.delete(key);
    };
  }

  onDisconnect(listener: () => void): void {
    this.disconnectListeners.push(listener);
  }

  async disconnect(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.subscriptions.clear();
    this.peripheral.detach(this);
  }

  deliver(service: string, characteristic: string, value: Uint8Array): boolean {
    const listener = this.subscriptions.get(`${service}/${characteristic}`);
    if (!this.open || !listener) return false;
    const copy = Uint8Array.from(value);
    later(() => {
      if (this.open) listener(copy);
    });
    return true;
  }

  dropped(): void {
    if (!this.open) return;
    this.open = false;
    this.subscriptions.clear();
    const listeners = this.disconnectListeners;
    this.disconnectListeners = [];
    later(() => listeners.forEach((l) => l()));
  }
}

export class SimulatedBleAdapter implements BleAdapter {
  private current: BleAdapterStatus;
  private readonly statusListeners = new Set<(s: BleAdapterStatus) => void>();
  private scanTimer: NodeJS.Timeout | undefined;
  readonly peripherals: SimulatedPeripheral[];

  constructor(peripherals: SimulatedPeripheral[] = [], state: BleAdapterState = 'poweredOn') {
    this.peripherals = peripherals;
    this.current = { state };
  }

  add(peripheral: SimulatedPeripheral): void {
    this.peripherals.push(peripheral);
  }

  setState(state: BleAdapterState, reason?: string): void {
    this.current = reason ? { state, reason } : { state };
    for (const l of this.statusListeners) l(this.current);
  }

  status(): BleAdapterStatus {
    return this.current;
  }

  onStatus(listener: (status: BleAdapterStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  async startScan(services: readonly string[], onDiscover: (p: DiscoveredPeripheral) => void): Promise<void> {
    if (this.current.state !== 'poweredOn') throw new Error('adapter not powered on');
    const advertise = () => {
      for (const p of this.peripherals) {
        if (!p.inRange || p.connected) continue;
        const advertised = p.advertisedServices();
        if (services.length > 0 && !advertised.some((u) => services.includes(u))) continue;
        onDiscover({ address: p.address, name: p.name, rssi: p.rssi, services: advertised });
      }
    };
    later(advertise);
    this.scanTimer = setInterval(advertise, 50);
  }

  async stopScan(): Promise<void> {
    if (this.scanTimer) clearInterval(this.scanTimer);
    this.scanTimer = undefined;
  }

  async connect(address: string): Promise<BlePeripheralLink> {
    if (this.current.state !== 'poweredOn') throw new Error('adapter not powered on');
    const p = this.peripherals.find((x) => x.address === address);
    if (!p || !p.inRange) {
      const error = new Error('peripheral not found');
      error.name = 'TimeoutError';
      throw error;
    }
    const link = new SimLink(p);
    p.attach(link);
    return link;
  }
}
