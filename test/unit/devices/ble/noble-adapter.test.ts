/**
 * The noble adapter's mapping of noble's API, against a stand-in for noble: this machine has no
 * Bluetooth radio, so noble itself cannot run here (the integration test loads the real noble and
 * checks the "Bluetooth unavailable" path). The stand-in behaves as noble 1.9 documents: EventEmitters
 * for stateChange/discover/data/disconnect and the *Async methods.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createNobleAdapter } from '../../../../main/devices/ble/noble-adapter';

const BASE = '-0000-1000-8000-00805f9b34fb';

class FakeCharacteristic extends EventEmitter {
  subscribed = false;
  written: { data: Buffer; withoutResponse: boolean }[] = [];
  constructor(
    readonly uuid: string,
    readonly properties: string[],
    private value: Buffer = Buffer.alloc(0),
  ) {
    super();
  }
  async readAsync() {
    return this.value;
  }
  async writeAsync(data: Buffer, withoutResponse: boolean) {
    this.written.push({ data, withoutResponse });
  }
  async subscribeAsync() {
    this.subscribed = true;
  }
  async unsubscribeAsync() {
    this.subscribed = false;
  }
}

class FakePeripheral extends EventEmitter {
  connected = false;
  cancelled = false;
  constructor(
    readonly id: string,
    readonly address: string,
    readonly rssi: number,
    readonly advertisement: { localName?: string; serviceUuids?: string[] },
    readonly services: { uuid: string; characteristics: FakeCharacteristic[] }[],
    private readonly connectDelayMs = 0,
  ) {
    super();
  }
  async connectAsync() {
    await new Promise((r) => setTimeout(r, this.connectDelayMs));
    this.connected = true;
  }
  async disconnectAsync() {
    this.connected = false;
    this.emit('disconnect');
  }
  cancelConnect() {
    this.cancelled = true;
  }
  async discoverAllServicesAndCharacteristicsAsync() {
    return { services: this.services, characteristics: this.services.flatMap((s) => s.characteristics) };
  }
}

class FakeNoble extends EventEmitter {
  _state = 'unknown';
  scanning: string[] | undefined;
  async startScanningAsync(uuids: string[] = []) {
    this.scanning = uuids;
  }
  async stopScanningAsync() {
    this.scanning = undefined;
  }
  setState(state: string) {
    this._state = state;
    this.emit('stateChange', state);
  }
}

function heartRateStrap(connectDelayMs = 0) {
  const hr = new FakeCharacteristic('2a37', ['notify']);
  const maker = new FakeCharacteristic('2a29', ['read'], Buffer.from('Polar'));
  const peripheral = new FakePeripheral(
    'abc123',
    'aa:bb:cc:dd:ee:ff',
    -55,
    { localName: 'H10', serviceUuids: ['180d'] },
    [
      { uuid: '0000180d' + BASE.replace(/-/g, ''), characteristics: [hr] },
      { uuid: '180a', characteristics: [maker] },
    ],
    connectDelayMs,
  );
  return { peripheral, hr, maker };
}

describe('noble adapter (with a stand-in for noble: no radio here)', () => {
  it('follows stateChange and tells listeners, with reasons for the states a nurse must act on', async () => {
    const noble = new FakeNoble();
    const adapter = await createNobleAdapter({ load: async () => ({ default: noble }) });
    expect(adapter.status()).toEqual({ state: 'unknown' });
    const seen: string[] = [];
    adapter.onStatus((s) => seen.push(s.state));
    noble.setState('poweredOff');
    expect(adapter.status()).toEqual({
      state: 'poweredOff',
      reason: 'Bluetooth is switched off on this computer.',
    });
    noble.setState('poweredOn');
    expect(seen).toEqual(['poweredOff', 'poweredOn']);
  });

  it('scans for the requested services and reports name, address, rssi and normalised service UUIDs', async () => {
    const noble = new FakeNoble();
    const adapter = await createNobleAdapter({ load: async () => noble });
    noble.setState('poweredOn');
    const found: unknown[] = [];
    await adapter.startScan(['0x180D', '1810'], (p) => found.push(p));
    expect(noble.scanning).toEqual(['180d', '1810']);
    const { peripheral } = heartRateStrap();
    noble.emit('discover', peripheral);
    noble.emit('discover', new FakePeripheral('x', 'unknown', -80, { serviceUuids: ['110b'] }, []));
    expect(found).toEqual([{ address: 'aa:bb:cc:dd:ee:ff', name: 'H10', rssi: -55, services: ['180d'] }]);
    await adapter.stopScan();
    expect(noble.scanning).toBeUndefined();
  });

  it('connects, discovers, reads, writes, subscribes and reports a dropped link', async () => {
    const noble = new FakeNoble();
    const adapter = await createNobleAdapter({ load: async () => noble });
    noble.setState('poweredOn');
    const { peripheral, hr } = heartRateStrap();
    await adapter.startScan([], () => undefined);
    noble.emit('discover', peripheral);
    const link = await adapter.connect('aa:bb:cc:dd:ee:ff');
    expect(peripheral.connected).toBe(true);
    const services = await link.discover();
    expect(services).toEqual([
      { uuid: '180d', characteristics: [{ uuid: '2a37', properties: ['notify'] }] },
      { uuid: '180a', characteristics: [{ uuid: '2a29', properties: ['read'] }] },
    ]);
    expect(new TextDecoder().decode(await link.read('180a', '2a29'))).toBe('Polar');
    await link.write('180d', '2a37', Uint8Array.of(1, 2), true);
    expect(hr.written).toEqual([{ data: Buffer.from([1, 2]), withoutResponse: false }]);

    const values: number[][] = [];
    const unsubscribe = await link.subscribe('180d', '2a37', (v) => values.push([...v]));
    expect(hr.subscribed).toBe(true);
    hr.emit('data', Buffer.from([0, 72]), true);
    expect(values).toEqual([[0, 72]]);
    await unsubscribe();
    hr.emit('data', Buffer.from([0, 73]), true);
    expect(values).toHaveLength(1);
    expect(hr.subscribed).toBe(false);

    let dropped = 0;
    link.onDisconnect(() => dropped++);
    peripheral.emit('disconnect');
    expect(dropped).toBe(1);
    await expect(link.read('180d', '9999')).rejects.toThrow();
  });

  it('does not report our own disconnect as a dropped link', async () => {
    const noble = new FakeNoble();
    const adapter = await createNobleAdapter({ load: async () => noble });
    noble.setState('poweredOn');
    const { peripheral } = heartRateStrap();
    noble.emit('discover', peripheral);
    const link = await adapter.connect(peripheral.address);
    let dropped = 0;
    link.onDisconnect(() => dropped++);
    await link.disconnect();
    expect(dropped).toBe(0);
  });

  it('scans for a peripheral not seen yet, and times out (cancelling) when it does not answer', async () => {
    const noble = new FakeNoble();
    const adapter = await createNobleAdapter({ load: async () => noble });
    noble.setState('poweredOn');
    const pending = adapter.connect('aa:bb:cc:dd:ee:ff', { timeoutMs: 500 });
    await new Promise((r) => setTimeout(r, 10));
    expect(noble.scanning).toEqual([]);
    const { peripheral } = heartRateStrap();
    noble.emit('discover', peripheral);
    await pending;
    expect(noble.scanning).toBeUndefined();

    await expect(adapter.connect('11:22:33:44:55:66', { timeoutMs: 30 })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(noble.listenerCount('discover')).toBe(1); // only the adapter's own bookkeeping listener is left

    const slow = heartRateStrap(200);
    noble.emit('discover', Object.assign(slow.peripheral, { address: '22:22:22:22:22:22' }));
    await expect(adapter.connect('22:22:22:22:22:22', { timeoutMs: 30 })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(slow.peripheral.cancelled).toBe(true);
  });

  it('waits for the radio to power on, and refuses when it does not', async () => {
    const noble = new FakeNoble();
    const adapter = await createNobleAdapter({ load: async () => noble, poweredOnTimeoutMs: 50 });
    await expect(adapter.startScan([], () => undefined)).rejects.toThrow('Bluetooth unavailable');
    const scan = adapter.startScan([], () => undefined);
    noble.setState('poweredOn');
    await scan;
    noble.setState('unauthorized');
    await expect(adapter.connect('aa:bb:cc:dd:ee:ff')).rejects.toThrow(/not allowed/);
  });

  it('a noble whose listener registration throws (bindings cannot open) means unavailable', async () => {
    const noble = new FakeNoble();
    noble.on = () => {
      throw Object.assign(new Error('socket'), { code: 'EAFNOSUPPORT' });
    };
    const adapter = await createNobleAdapter({ load: async () => noble });
    expect(adapter.status()).toEqual({ state: 'unsupported', reason: 'Bluetooth unavailable' });
  });
});
