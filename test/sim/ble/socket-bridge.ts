/**
 * Puts one simulated peripheral on the running app's simulated radio: connects to the app's socket
 * (main/devices/ble/socket-adapter.ts), says hello with its advertisement and GATT table, and answers
 * the app's requests through the same simulated link the tests use, so a simulator behaves the same
 * whether a test or the running app talks to it.
 */
import net from 'node:net';
import type { BlePeripheralLink } from '../../../main/devices/ble/adapter';
import {
  createLineReader,
  fromHex,
  toHex,
  type RadioRequest,
} from '../../../main/devices/ble/socket-protocol';
import { SimulatedBleAdapter, type SimulatedPeripheral } from './simulated-adapter';

export interface SocketBridge {
  /** Tells the app the peripheral can (or cannot) be found now; a drop is sent by the link itself. */
  setInRange(inRange: boolean): void;
  /** Resolves when the app closes the socket (the app quit). */
  readonly closed: Promise<void>;
  close(): void;
}

export async function bridgePeripheral(
  peripheral: SimulatedPeripheral,
  socketPath: string,
): Promise<SocketBridge> {
  const adapter = new SimulatedBleAdapter([peripheral]);
  const socket = net.createConnection(socketPath);
  socket.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const send = (message: object) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
  };
  let link: BlePeripheralLink | undefined;

  // The peripheral's notifications reach the app only while a link is open; drops are said here.
  const watch = (l: BlePeripheralLink) =>
    l.onDisconnect(() => {
      if (link === l) link = undefined;
      send({ t: 'dropped' });
    });

  async function answer(request: RadioRequest): Promise<string | undefined> {
    switch (request.t) {
      case 'connect': {
        await link?.disconnect();
        link = await adapter.connect(peripheral.address);
        watch(link);
        return undefined;
      }
      case 'disconnect':
        await link?.disconnect();
        link = undefined;
        return undefined;
      case 'read':
        return toHex(await need().read(request.service, request.characteristic));
      case 'write':
        await need().write(
          request.service,
          request.characteristic,
          fromHex(request.value),
          request.withResponse,
        );
        return undefined;
      case 'subscribe':
        await need().subscribe(request.service, request.characteristic, (value) =>
          send({
            t: 'notify',
            service: request.service,
            characteristic: request.characteristic,
            value: toHex(value),
          }),
        );
        return undefined;
      case 'unsubscribe':
        return undefined;
    }
  }
  const need = () => {
    if (!link) throw new Error('not connected');
    return link;
  };

  const reader = createLineReader((line) => {
    const request = JSON.parse(line) as RadioRequest;
    answer(request).then(
      (value) => send({ t: 'reply', id: request.id, ok: true, ...(value !== undefined ? { value } : {}) }),
      (error: unknown) =>
        send({
          t: 'reply',
          id: request.id,
          ok: false,
          error: error instanceof Error ? error.message : 'failed',
        }),
    );
  });
  socket.on('data', (chunk: string) => void reader(chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  const services = await (async () => {
    const probe = await adapter.connect(peripheral.address);
    const table = await probe.discover();
    await probe.disconnect();
    return table;
  })();
  send({
    t: 'hello',
    address: peripheral.address,
    name: peripheral.name,
    rssi: peripheral.rssi,
    services: peripheral.advertisedServices(),
    gatt: services,
  });

  return {
    setInRange(inRange) {
      send({ t: 'range', inRange });
    },
    closed,
    close() {
      socket.end();
    },
  };
}
