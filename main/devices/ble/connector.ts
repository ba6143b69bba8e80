/**
 * The Bluetooth LE connector: connects to an allowed peripheral by address, reads Device Information
 * and Battery, subscribes to the driver's measurement characteristic(s), and turns each value into a
 * reading with provenance. The device manager owns reconnection: when the link drops this says
 * 'disconnected' and a later connect() starts afresh (glucose then fetches only newer records).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/ipc/errors';
import type { Logger } from '../../logging/logger';
import type { Clock } from '../../platform/clock';
import type { AllowedDevice, DeviceConnection, DeviceConnector, ReadingSink } from '../types';
import type { BleAdapter, BleServiceInfo } from './adapter';
import { openLink } from './connect/open-link';
import { readDeviceFeatures } from './connect/device-features';
import { readDeviceClock } from './connect/device-clock';
import { followBattery, readDeviceInformation } from './connect/device-details';
import { subscribeMeasurements } from './connect/measurements';
import { hasCharacteristic, type StageContext } from './connect/shared';
import { fetchStoredRecords } from './connect/stored-records';
import { DEFAULT_CLOCK_TOLERANCE_MS } from '../rules/device-clock';
import { bleDriverFor, type BleDriver, type DeviceTraits } from './drivers';
import { quirksFor, quirkWords } from './quirks';

export interface BleConnectorDeps {
  /** The radio, or a function that creates it on first use (the noble adapter loads lazily). */
  adapter: BleAdapter | (() => Promise<BleAdapter>);
  clock: Clock;
  logger: Logger;
  newReadingId?: () => string;
  connectTimeoutMs?: number;
  driverFor?: (id: string) => BleDriver | undefined;
  /** The policy's device-clock rules, read at each connection. */
  clockPolicy?: () => { toleranceMs: number; setOnConnect: boolean };
}

export function bleConnector(deps: BleConnectorDeps): DeviceConnector {
  const newReadingId = deps.newReadingId ?? randomUUID;
  const driverFor = deps.driverFor ?? bleDriverFor;
  const connectTimeoutMs = deps.connectTimeoutMs ?? 15_000;
  /**
   * Glucose records already delivered, per device, keyed by sequence number and the meter's time: a
   * reconnect asks only for records after the last one delivered, or for every record when the meter
   * no longer holds that one (its memory was cleared and it numbers again) or cannot say; repeats are
   * dropped here.
   */
  const deliveredRecords = new Map<string, Set<string>>();
  /** Per device, the sequence number of the newest glucose record delivered: the next fetch starts after it. */
  const lastSequences = new Map<string, number>();
  let adapterPromise: Promise<BleAdapter> | undefined;

  const getAdapter = (): Promise<BleAdapter> => {
    if (typeof deps.adapter !== 'function') return Promise.resolve(deps.adapter);
    const loading = (adapterPromise ??= deps.adapter());
    // A failed load is tried again on the next connect rather than remembered.
    loading.catch(() => {
      if (adapterPromise === loading) adapterPromise = undefined;
    });
    return loading;
  };

  return {
    transport: 'ble',
    async connect(device: AllowedDevice, sink: ReadingSink): Promise<DeviceConnection> {
      const driver = driverFor(device.driver);
      if (!driver)
        throw new AppError('DEVICE', 'This type of device is not supported by this version of the app.');
      if (!device.address)
        throw new AppError('DEVICE', 'This device has no Bluetooth address set; pair it again.');
      const address = device.address;

      const link = await openLink({
        getAdapter,
        address,
        driverId: driver.id,
        timeoutMs: connectTimeoutMs,
        sink,
        logger: deps.logger,
      });

      let closedByApp = false;
      let linkDown = false;
      const unsubscribes: (() => Promise<void>)[] = [];
      link.onDisconnect(() => {
        linkDown = true;
        if (closedByApp) return;
        deps.logger.info('devices.ble.disconnected', { driver: driver.id });
        sink.status({ state: 'disconnected' });
      });

      const fail = async (reason: string, code: 'DEVICE' | 'UNAVAILABLE' = 'DEVICE'): Promise<never> => {
        closedByApp = true;
        await link.disconnect().catch(() => undefined);
        sink.status({ state: 'error', reason });
        throw new AppError(code, reason);
      };

      let services: BleServiceInfo[];
      try {
        services = await link.discover();
      } catch {
        return fail('The device stopped answering while connecting. Try again.');
      }
      if (!driver.measurements.some((m) => hasCharacteristic(services, driver.service, m.characteristic))) {
        return fail('This device does not offer the measurement its pairing says. Check the device type.');
      }

      // Until subscriptions are in place, whatever arrives is the device's backlog.
      let connectedAt = deps.clock.now();
      const stage: StageContext = { link, services, driver, logger: deps.logger, unsubscribes };
      const info = await readDeviceInformation(link, services, deps.logger);
      sink.info(info);
      const features = await readDeviceFeatures(stage);
      if (features) sink.features?.(features.words);
      // Only the blood-pressure profile has model quirks so far.
      const quirks = driver.id === 'ble.blood-pressure' ? quirksFor(info) : undefined;
      if (quirks) {
        sink.adjustments?.(quirkWords(quirks));
        deps.logger.info('devices.ble.model_quirks', { driver: driver.id, model: quirks.label });
      }
      const traits: DeviceTraits = {
        ...(features ? { features: features.features } : {}),
        ...(quirks ? { quirks } : {}),
      };
      await followBattery(stage, sink);

      const clockPolicy = deps.clockPolicy?.() ?? {
        toleranceMs: DEFAULT_CLOCK_TOLERANCE_MS,
        setOnConnect: false,
      };
      const deviceClock = await readDeviceClock(stage, deps.clock);
      if (deviceClock?.writable && clockPolicy.setOnConnect) {
        await deviceClock
          .set()
          .catch(() => deps.logger.warn('devices.ble.clock_set_failed', { driver: driver.id }));
      }
      if (deviceClock) sink.clock?.({ writable: deviceClock.writable, offsetMs: deviceClock.offsetMs() });

      let delivered = deliveredRecords.get(device.id);
      if (!delivered) deliveredRecords.set(device.id, (delivered = new Set()));
      const measurements = await subscribeMeasurements(stage, {
        sink,
        provenance: { deviceId: device.id, transport: 'ble', driver: driver.id, address, ...info },
        clock: deps.clock,
        newReadingId,
        delivered,
        onStoredRecord: (sequenceNumber) => lastSequences.set(device.id, sequenceNumber),
        connectedAt: () => connectedAt,
        clockOffsetMs: () => deviceClock?.offsetMs(),
        clockToleranceMs: () => clockPolicy.toleranceMs,
        device: traits,
      });
      if (!measurements) return fail('The device refused to send its measurements. Try pairing it again.');

      connectedAt = deps.clock.now();
      sink.status({ state: 'connected' });
      deps.logger.info('devices.ble.connected', { driver: driver.id });
      await fetchStoredRecords(stage, measurements.deliverAwaiting, lastSequences.get(device.id));

      return {
        ...(deviceClock?.writable
          ? {
              async setClock() {
                await deviceClock.set();
                sink.clock?.({ writable: true, offsetMs: 0 });
              },
            }
          : {}),
        async close() {
          if (closedByApp) return;
          measurements.deliverAwaiting();
          closedByApp = true;
          // After the link dropped, 'disconnected' has been said already and there is nothing to unsubscribe.
          if (linkDown) {
            await link.disconnect().catch(() => undefined);
            return;
          }
          for (const unsubscribe of unsubscribes) await unsubscribe().catch(() => undefined);
          await link.disconnect().catch(() => undefined);
          sink.status({ state: 'disconnected' });
        },
      };
    },
  };
}
