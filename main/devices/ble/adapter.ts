/**
 * The Bluetooth LE radio as the rest of the app sees it. The noble adapter implements it on real
 * hardware; test/sim/ble implements it with simulated peripherals. UUIDs are lowercase hex without
 * dashes, 16-bit SIG UUIDs in their short form ('180d'), as noble reports them.
 */

export type BleAdapterState =
  'unknown' | 'resetting' | 'poweredOn' | 'poweredOff' | 'unauthorized' | 'unsupported';

export interface BleAdapterStatus {
  state: BleAdapterState;
  /** A sentence for the nurse when the radio cannot be used ("Bluetooth unavailable", "Bluetooth is off"). */
  reason?: string;
}

export interface DiscoveredPeripheral {
  /** The peripheral's address (or the OS's id for it where the address is hidden, as on macOS). */
  address: string;
  name?: string;
  rssi: number;
  /** Advertised service UUIDs. */
  services: string[];
}

export interface BleCharacteristicInfo {
  uuid: string;
  properties: readonly string[];
}

export interface BleServiceInfo {
  uuid: string;
  characteristics: readonly BleCharacteristicInfo[];
}

/** One open link to a peripheral. */
export interface BlePeripheralLink {
  readonly address: string;
  /** Discovers every service and characteristic. */
  discover(): Promise<BleServiceInfo[]>;
  read(service: string, characteristic: string): Promise<Uint8Array>;
  write(service: string, characteristic: string, data: Uint8Array, withResponse: boolean): Promise<void>;
  /** Enables notifications or indications; the listener gets each value. Resolves to an unsubscribe. */
  subscribe(
    service: string,
    characteristic: string,
    listener: (value: Uint8Array) => void,
  ): Promise<() => Promise<void>>;
  /** Called once when the link drops for any reason other than disconnect() from our side. */
  onDisconnect(listener: () => void): void;
  disconnect(): Promise<void>;
}

export interface BleAdapter {
  status(): BleAdapterStatus;
  /** Listener for state changes; returns a function that removes it. */
  onStatus(listener: (status: BleAdapterStatus) => void): () => void;
  /** Scans for peripherals advertising any of `services` (all when empty) until stopScan(). */
  startScan(
    services: readonly string[],
    onDiscover: (peripheral: DiscoveredPeripheral) => void,
  ): Promise<void>;
  stopScan(): Promise<void>;
  /** Connects to a peripheral by address; rejects when it is not found within the timeout. */
  connect(address: string, options?: { timeoutMs?: number }): Promise<BlePeripheralLink>;
}

/** Normalises a UUID to the form the adapter uses ('0x180D', '0000180d-0000-1000-8000-00805f9b34fb' → '180d'). */
export function normalizeUuid(uuid: string): string {
  const hex = uuid.toLowerCase().replace(/^0x/, '').replace(/-/g, '');
  const base = /^0000([0-9a-f]{4})00001000800000805f9b34fb$/.exec(hex);
  return base ? base[1]! : hex;
}

export const BLUETOOTH_UNAVAILABLE = 'Bluetooth unavailable';
