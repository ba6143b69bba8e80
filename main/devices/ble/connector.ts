/**
 * The Bluetooth LE connector: connects to an allowed peripheral by address, reads Device Information
 * and Battery, subscribes to the driver's measurement characteristic(s), and turns each value into a
 * reading with provenance. The device manager owns reconnection: when the link drops this says
 * 'disconnected' and a later connect() starts afresh (glucose then fetches only newer records).
 */
import { randomUUID } from 'node:crypto';
import type { DeviceReading } from '../../../shared/devices/reading';
import { AppError } from '../../../shared/ipc/errors';
import type { Logger } from '../../logging/logger';
import type { Clock } from '../../platform/clock';
import type { AllowedDevice, DeviceConnection, DeviceConnector, ReadingSink } from '../types';
import {
  BLUETOOTH_UNAVAILABLE,
  type BleAdapter,
  type BlePeripheralLink,
  type BleServiceInfo,
} from './adapter';
import { bleDriverFor, type BleDriver } from './drivers';
import { BATTERY_LEVEL, BATTERY_SERVICE, parseBatteryLevel } from './profiles/battery';
import {
  DEVICE_INFORMATION_FIELDS,
  DEVICE_INFORMATION_SERVICE,
  parseDeviceInformationString,
  type DeviceInformation,
} from './profiles/device-information';
import { encodeRacpRequest, parseGlucoseMeasurement, parseRacpResponse } from './profiles/glucose';

export interface BleConnectorDeps {
  /** The radio, or a function that creates it on first use (the noble adapter loads lazily). */
  adapter: BleAdapter | (() => Promise<BleAdapter>);
  clock: Clock;
  logger: Logger;
  newReadingId?: () => string;
  connectTimeoutMs?: number;
  driverFor?: (id: string) => BleDriver | undefined;
}

/** How long a glucose record waits for the context its flags announce before it goes without it. */
const CONTEXT_WAIT_MS = 1500;

/** Device clocks drift; beyond this a device time ahead of ours is not believed. */
const FUTURE_TOLERANCE_MS = 10 * 60 * 1000;

const NOT_USABLE: Record<string, string> = {
  unsupported: BLUETOOTH_UNAVAILABLE,
  unauthorized: 'This app is not allowed to use Bluetooth. Ask IT to allow it.',
  poweredOff: 'Bluetooth is switched off on this computer.',
};

function hasCharacteristic(
  services: readonly BleServiceInfo[],
  service: string,
  characteristic: string,
): boolean {
  return services.some((s) => s.uuid === service && s.characteristics.some((c) => c.uuid === characteristic));
}

export function bleConnector(deps: BleConnectorDeps): DeviceConnector {
  const newReadingId = deps.newReadingId ?? randomUUID;
  const driverFor = deps.driverFor ?? bleDriverFor;
  const connectTimeoutMs = deps.connectTimeoutMs ?? 15_000;
  /**
   * Glucose records already delivered, per device, keyed by sequence number and the meter's time: a
   * reconnect asks for every record (a meter whose memory was cleared starts numbering again, so
   * "newer than the last sequence number" could miss records) and repeats are dropped here.
   */
  const deliveredRecords = new Map<string, Set<string>>();
  const MAX_REMEMBERED_RECORDS = 10_000;
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

  async function readDeviceInformation(
    link: BlePeripheralLink,
    services: BleServiceInfo[],
  ): Promise<DeviceInformation> {
    const info: DeviceInformation = {};
    for (const [field, uuid] of DEVICE_INFORMATION_FIELDS) {
      if (!hasCharacteristic(services, DEVICE_INFORMATION_SERVICE, uuid)) continue;
      try {
        const text = parseDeviceInformationString(await link.read(DEVICE_INFORMATION_SERVICE, uuid));
        if (text) info[field] = text;
      } catch {
        deps.logger.warn('devices.ble.info_read_failed', { field });
      }
    }
    return info;
  }

  return {
    transport: 'ble',
    async connect(device: AllowedDevice, sink: ReadingSink): Promise<DeviceConnection> {
      const driver = driverFor(device.driver);
      if (!driver)
        throw new AppError('DEVICE', 'This type of device is not supported by this version of the app.');
      if (!device.address)
        throw new AppError('DEVICE', 'This device has no Bluetooth address set; pair it again.');
      const address = device.address;

      let adapter: BleAdapter;
      try {
        adapter = await getAdapter();
      } catch (error) {
        deps.logger.warn('devices.ble.adapter_failed', {
          error: error instanceof Error ? error.name : 'unknown',
        });
        sink.status({ state: 'error', reason: BLUETOOTH_UNAVAILABLE });
        throw new AppError('UNAVAILABLE', BLUETOOTH_UNAVAILABLE);
      }
      const state = adapter.status();
      const refusal = NOT_USABLE[state.state];
      if (refusal) {
        const reason = state.reason ?? refusal;
        sink.status({ state: 'error', reason });
        throw new AppError('UNAVAILABLE', reason);
      }

      sink.status({ state: 'connecting' });
      let link: BlePeripheralLink;
      try {
        link = await adapter.connect(address, { timeoutMs: connectTimeoutMs });
      } catch (error) {
        deps.logger.warn('devices.ble.connect_failed', {
          driver: driver.id,
          error: error instanceof Error ? error.name : 'unknown',
        });
        const reason = 'The device did not answer. Check that it is switched on and near this computer.';
        sink.status({ state: 'error', reason });
        throw new AppError('DEVICE', reason);
      }

      let closedByApp = false;
      let linkDown = false;
      let reading = false;
      const unsubscribes: (() => Promise<void>)[] = [];
      link.onDisconnect(() => {
        linkDown = true;
        if (closedByApp) return;
        reading = false;
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
      const measurements = driver.measurements.filter((m) =>
        hasCharacteristic(services, driver.service, m.characteristic),
      );
      if (measurements.length === 0) {
        return fail('This device does not offer the measurement its pairing says. Check the device type.');
      }

      const info = await readDeviceInformation(link, services);
      sink.info(info);
      const provenance: DeviceReading['provenance'] = {
        deviceId: device.id,
        transport: 'ble',
        driver: driver.id,
        address,
        ...info,
      };

      /** Radio callbacks run outside any caller: a fault downstream is logged, never thrown into the radio stack. */
      const guarded =
        (handler: (bytes: Uint8Array) => void) =>
        (bytes: Uint8Array): void => {
          try {
            handler(bytes);
          } catch (error) {
            deps.logger.error('devices.ble.handler_failed', {
              driver: driver.id,
              error: error instanceof Error ? error.name : 'unknown',
            });
          }
        };
      const onBattery = guarded((bytes: Uint8Array) => {
        const level = parseBatteryLevel(bytes);
        if (level.ok) sink.battery(level.value);
      });
      if (hasCharacteristic(services, BATTERY_SERVICE, BATTERY_LEVEL)) {
        try {
          onBattery(await link.read(BATTERY_SERVICE, BATTERY_LEVEL));
          const battery = services
            .find((s) => s.uuid === BATTERY_SERVICE)
            ?.characteristics.find((c) => c.uuid === BATTERY_LEVEL);
          if (battery?.properties.includes('notify')) {
            unsubscribes.push(await link.subscribe(BATTERY_SERVICE, BATTERY_LEVEL, onBattery));
          }
        } catch {
          deps.logger.warn('devices.ble.battery_read_failed', { driver: driver.id });
        }
      }

      // A record that announced a context waits for it (or for the next record, the end of the transfer,
      // or a short time), so the meal it was taken around goes with it.
      const contextSource =
        driver.context && hasCharacteristic(services, driver.service, driver.context.characteristic)
          ? driver.context
          : undefined;
      let awaitingContext:
        { sequenceNumber: number; reading: DeviceReading; timer: NodeJS.Timeout } | undefined;
      const deliverAwaiting = (): void => {
        if (!awaitingContext) return;
        clearTimeout(awaitingContext.timer);
        const { reading: held } = awaitingContext;
        awaitingContext = undefined;
        sink.reading(held);
      };

      let lastProblem: string | undefined;
      for (const source of measurements) {
        const onValue = guarded((bytes: Uint8Array) => {
          const now = deps.clock.now();
          const receivedAt = now.toISOString();
          // A stored record's header, read once: for the repeat check and for the context it may announce.
          const record = source.stored ? parseGlucoseMeasurement(bytes) : undefined;
          if (record) {
            // Each stored record once per session, whatever it holds (a refused record is not offered again).
            if (record.ok) {
              const t = record.value.baseTime;
              const key = `${record.value.sequenceNumber}@${t.year}-${t.month}-${t.day}T${t.hours}:${t.minutes}:${t.seconds}+${record.value.timeOffset ?? 0}`;
              let delivered = deliveredRecords.get(device.id);
              if (!delivered) deliveredRecords.set(device.id, (delivered = new Set()));
              if (delivered.has(key)) return; // already delivered in this session
              if (delivered.size >= MAX_REMEMBERED_RECORDS) delivered.clear();
              delivered.add(key);
            }
          }
          const result = source.toValues(bytes);
          deliverAwaiting();
          if (!result.ok) {
            const newProblem = result.error.code !== lastProblem;
            if (newProblem) {
              lastProblem = result.error.code;
              deps.logger.warn('devices.ble.measurement_problem', {
                driver: driver.id,
                code: result.error.code,
              });
            }
            if (
              (reading || newProblem) &&
              (result.error.code === 'UNSTABLE' || result.error.code === 'SPECIAL_VALUE')
            ) {
              reading = false;
              sink.status({ state: 'connected', detail: result.error.message });
            }
            return;
          }
          lastProblem = undefined;
          if (!reading) {
            reading = true;
            sink.status({ state: 'reading' });
          }
          let measuredAt = receivedAt;
          const notes = result.value.notes;
          const deviceTime = result.value.measuredAt;
          if (deviceTime) {
            // Past times are normal (cuffs and meters send stored readings); a time in the future is a wrong clock.
            if (deviceTime.getTime() - now.getTime() > FUTURE_TOLERANCE_MS) {
              notes.push('The device clock is wrong; the time of receipt is used');
            } else {
              measuredAt = deviceTime.toISOString();
            }
          }
          const delivered: DeviceReading = {
            readingId: newReadingId(),
            provenance,
            measuredAt,
            receivedAt,
            values: result.value.values,
            notes,
          };
          if (contextSource && record?.ok && record.value.contextFollows) {
            const timer = setTimeout(deliverAwaiting, CONTEXT_WAIT_MS);
            timer.unref?.();
            awaitingContext = { sequenceNumber: record.value.sequenceNumber, reading: delivered, timer };
            return;
          }
          sink.reading(delivered);
        });
        try {
          unsubscribes.push(await link.subscribe(driver.service, source.characteristic, onValue));
        } catch {
          return fail('The device refused to send its measurements. Try pairing it again.');
        }
      }

      if (contextSource) {
        const onContext = guarded((bytes: Uint8Array) => {
          const context = contextSource.toNotes(bytes);
          if (!context.ok) {
            deps.logger.warn('devices.ble.context_problem', { driver: driver.id, code: context.error.code });
            return;
          }
          if (awaitingContext?.sequenceNumber !== context.value.sequenceNumber) return;
          awaitingContext.reading.notes.push(...context.value.notes);
          deliverAwaiting();
        });
        try {
          unsubscribes.push(await link.subscribe(driver.service, contextSource.characteristic, onContext));
        } catch {
          // Readings still arrive, without their meal context.
          deps.logger.warn('devices.ble.context_unavailable', { driver: driver.id });
        }
      }

      const cuff = driver.cuffPressure;
      if (cuff && hasCharacteristic(services, driver.service, cuff.characteristic)) {
        const onCuff = guarded((bytes: Uint8Array) => {
          const pressure = cuff.toMmHg(bytes);
          if (pressure.ok) sink.cuffPressure?.(pressure.value);
        });
        try {
          unsubscribes.push(await link.subscribe(driver.service, cuff.characteristic, onCuff));
        } catch {
          // Progress only: the cuff's readings still arrive without it.
          deps.logger.warn('devices.ble.cuff_pressure_unavailable', { driver: driver.id });
        }
      }

      sink.status({ state: 'connected' });
      deps.logger.info('devices.ble.connected', { driver: driver.id });

      if (
        driver.recordAccessControlPoint &&
        hasCharacteristic(services, driver.service, driver.recordAccessControlPoint)
      ) {
        const racp = driver.recordAccessControlPoint;
        try {
          unsubscribes.push(
            await link.subscribe(driver.service, racp, (bytes) => {
              const response = parseRacpResponse(bytes);
              if (!response.ok) {
                deps.logger.warn('devices.ble.racp_problem', {
                  driver: driver.id,
                  code: response.error.code,
                });
              } else if (response.value.kind === 'response-code') {
                // The transfer is over: no context is coming for a record still waiting.
                deliverAwaiting();
                deps.logger.info('devices.ble.records_fetched', {
                  driver: driver.id,
                  result: response.value.code,
                });
              }
            }),
          );
          await link.write(
            driver.service,
            racp,
            encodeRacpRequest({ opcode: 'report-records', filter: 'all' }),
            true,
          );
        } catch {
          deps.logger.warn('devices.ble.racp_failed', { driver: driver.id });
        }
      }

      return {
        async close() {
          if (closedByApp) return;
          deliverAwaiting();
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
