/**
 * A Bluetooth radio made of a local socket, for simulated devices only: each simulator
 * (`npm run sim -- ble <profile>`) connects to the socket and is one peripheral in range. It sits
 * behind the same BleAdapter interface as noble, so the connector, drivers and manager are the app's
 * own. Created only when the app is started with `--simulated-devices` (./simulated/…); the socket
 * is the owner's alone (0600, in the data directory), and every line is checked (./socket-protocol).
 */
import { chmod, lstat, unlink } from 'node:fs/promises';
import net from 'node:net';
import type { Logger } from '../../logging/logger';
import type {
  BleAdapter,
  BleAdapterStatus,
  BlePeripheralLink,
  BleServiceInfo,
  DiscoveredPeripheral,
} from './adapter';
import {
  createLineReader,
  fromHex,
  parsePeripheralMessage,
  toHex,
  type PeripheralMessage,
  type RadioRequest,
} from './socket-protocol';

const REQUEST_TIMEOUT_MS = 5000;

type Hello = Extract<PeripheralMessage, { t: 'hello' }>;
type Request = RadioRequest extends infer R ? (R extends RadioRequest ? Omit<R, 'id'> : never) : never;

interface RemotePeripheral {
  hello: Hello;
  inRange: boolean;
  socket: net.Socket;
  link: SocketLink | undefined;
  request(message: Request): Promise<string | undefined>;
}

export interface SocketBleAdapter extends BleAdapter {
  /** The peripherals connected to the socket now (for tests and the log). */
  peripheralCount(): number;
  close(): Promise<void>;
}

export async function createSocketBleAdapter(options: {
  socketPath: string;
  logger: Logger;
}): Promise<SocketBleAdapter> {
  const { logger } = options;
  const peripherals = new Map<string, RemotePeripheral>();
  let scan: { services: readonly string[]; onDiscover: (p: DiscoveredPeripheral) => void } | undefined;
  const status: BleAdapterStatus = { state: 'poweredOn' };

  function report(p: RemotePeripheral) {
    if (!scan || !p.inRange || p.link) return;
    const { services, onDiscover } = scan;
    const advertised = p.hello.services;
    if (services.length > 0 && !advertised.some((u) => services.includes(u))) return;
    onDiscover({
      address: p.hello.address,
      name: p.hello.name,
      rssi: p.hello.rssi,
      services: [...advertised],
    });
  }

  function accept(socket: net.Socket) {
    socket.setEncoding('utf8');
    let peripheral: RemotePeripheral | undefined;
    let nextId = 1;
    const pending = new Map<
      number,
      { resolve(v: string | undefined): void; reject(e: Error): void; timer: NodeJS.Timeout }
    >();
    const failAll = (reason: string) => {
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        p.reject(new Error(reason));
        pending.delete(id);
      }
    };
    const request = (message: Request): Promise<string | undefined> =>
      new Promise((resolve, reject) => {
        if (socket.destroyed) return reject(new Error('peripheral gone'));
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('peripheral did not answer'));
        }, REQUEST_TIMEOUT_MS);
        timer.unref();
        pending.set(id, { resolve, reject, timer });
        socket.write(`${JSON.stringify({ ...message, id })}\n`);
      });

    const handle = (message: PeripheralMessage) => {
      switch (message.t) {
        case 'hello': {
          if (peripheral) return; // one peripheral per connection
          const previous = peripherals.get(message.address);
          // The same simulator started again: the new one replaces the old.
          if (previous) previous.socket.destroy();
          peripheral = { hello: message, inRange: true, socket, link: undefined, request };
          peripherals.set(message.address, peripheral);
          logger.info('devices.simulated.peripheral_joined', { services: message.services.join(',') });
          report(peripheral);
          return;
        }
        case 'reply': {
          const waiting = pending.get(message.id);
          if (!waiting) return;
          pending.delete(message.id);
          clearTimeout(waiting.timer);
          if (message.ok) waiting.resolve(message.value);
          else waiting.reject(new Error(message.error ?? 'refused'));
          return;
        }
        case 'notify':
          peripheral?.link?.deliver(message.service, message.characteristic, fromHex(message.value));
          return;
        case 'dropped':
          peripheral?.link?.dropped();
          return;
        case 'range':
          if (!peripheral) return;
          peripheral.inRange = message.inRange;
          report(peripheral);
          return;
      }
    };

    const reader = createLineReader((line) => {
      const message = parsePeripheralMessage(line);
      if (!message) {
        logger.warn('devices.simulated.bad_line', {});
        return;
      }
      handle(message);
    });
    socket.on('data', (chunk: string) => {
      if (!reader(chunk)) {
        logger.warn('devices.simulated.line_too_long', {});
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      failAll('peripheral gone');
      if (!peripheral) return;
      peripheral.link?.dropped();
      if (peripherals.get(peripheral.hello.address) === peripheral)
        peripherals.delete(peripheral.hello.address);
      logger.info('devices.simulated.peripheral_left', {});
    });
  }

  await removeStaleSocket(options.socketPath);
  const server = net.createServer(accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(options.socketPath, 0o600);
  server.unref();
  logger.warn('devices.simulated.radio_listening', {});

  return {
    status: () => status,
    onStatus: () => () => undefined,
    async startScan(services, onDiscover) {
      scan = { services, onDiscover };
      for (const p of peripherals.values()) report(p);
    },
    async stopScan() {
      scan = undefined;
    },
    async connect(address) {
      const p = peripherals.get(address);
      if (!p || !p.inRange) {
        const error = new Error('peripheral not found');
        error.name = 'TimeoutError';
        throw error;
      }
      await p.request({ t: 'connect' });
      p.link?.dropped();
      const link = new SocketLink(p);
      p.link = link;
      return link;
    },
    peripheralCount: () => peripherals.size,
    async close() {
      for (const p of peripherals.values()) p.socket.destroy();
      peripherals.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Only a leftover socket is removed; anything else at that path is an error, never deleted. */
async function removeStaleSocket(socketPath: string): Promise<void> {
  const existing = await lstat(socketPath).catch(() => undefined);
  if (!existing) return;
  if (!existing.isSocket()) throw new Error('The simulated Bluetooth socket path is taken by another file.');
  await unlink(socketPath);
}

class SocketLink implements BlePeripheralLink {
  readonly address: string;
  private readonly listeners = new Map<string, (value: Uint8Array) => void>();
  private disconnectListeners: (() => void)[] = [];
  private open = true;

  constructor(private readonly peripheral: RemotePeripheral) {
    this.address = peripheral.hello.address;
  }

  private ensureOpen() {
    if (!this.open) throw new Error('link closed');
  }

  async discover(): Promise<BleServiceInfo[]> {
    this.ensureOpen();
    return this.peripheral.hello.gatt.map((s) => ({
      uuid: s.uuid,
      characteristics: s.characteristics.map((c) => ({ uuid: c.uuid, properties: [...c.properties] })),
    }));
  }

  async read(service: string, characteristic: string): Promise<Uint8Array> {
    this.ensureOpen();
    return fromHex((await this.peripheral.request({ t: 'read', service, characteristic })) ?? '');
  }

  async write(
    service: string,
    characteristic: string,
    data: Uint8Array,
    withResponse: boolean,
  ): Promise<void> {
    this.ensureOpen();
    await this.peripheral.request({ t: 'write', service, characteristic, value: toHex(data), withResponse });
  }

  async subscribe(
    service: string,
    characteristic: string,
    listener: (value: Uint8Array) => void,
  ): Promise<() => Promise<void>> {
    this.ensureOpen();
    const key = `${service}/${characteristic}`;
    // Listen first: a device may answer the subscription at once (its stored backlog).
    this.listeners.set(key, listener);
    try {
      await this.peripheral.request({ t: 'subscribe', service, characteristic });
    } catch (error) {
      this.listeners.delete(key);
      throw error;
    }
    return async () => {
      this.listeners.delete(key);
      if (this.open)
        await this.peripheral.request({ t: 'unsubscribe', service, characteristic }).catch(() => undefined);
    };
  }

  onDisconnect(listener: () => void): void {
    this.disconnectListeners.push(listener);
  }

  async disconnect(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.listeners.clear();
    if (this.peripheral.link === this) this.peripheral.link = undefined;
    await this.peripheral.request({ t: 'disconnect' }).catch(() => undefined);
  }

  deliver(service: string, characteristic: string, value: Uint8Array) {
    if (this.open) this.listeners.get(`${service}/${characteristic}`)?.(value);
  }

  dropped() {
    if (!this.open) return;
    this.open = false;
    this.listeners.clear();
    if (this.peripheral.link === this) this.peripheral.link = undefined;
    const listeners = this.disconnectListeners;
    this.disconnectListeners = [];
    for (const l of listeners) l();
  }
}
