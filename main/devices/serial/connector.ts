/**
 * The serial connector: finds the allowed device's port (by path, or by USB vendor/product id), opens
 * it with the driver's line settings, feeds the bytes to the driver's parser and turns what comes out
 * into readings, waveform samples, battery and status for the device manager.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/ipc/errors';
import { DEVICE_ABSENT_MESSAGES, DeviceAbsentError } from '../device-absent';
import type { DeviceReading } from '../../../shared/devices/reading';
import type { Clock } from '../../platform/clock';
import type { Logger } from '../../logging/logger';
import type { AllowedDevice, DeviceConnection, DeviceConnector, ReadingSink } from '../types';
import { serialDriverFor } from './drivers';
import type { DriverOutput, SerialDriver } from './drivers/types';
import type { PortLister } from './port-lister';
import { checkSerialPort, systemPortFacts, type PortFacts } from './port-check';
import { openSystemSerialPort, type SerialPortFactory } from './port';

export interface SerialConnectorDeps {
  clock: Clock;
  logger: Logger;
  lister: PortLister;
  openPort?: SerialPortFactory;
  driverFor?: (id: string) => SerialDriver | undefined;
  newReadingId?: () => string;
  /**
   * Whether a port without USB ids (a built-in RS-232 port, a simulator's pseudo-terminal) may be opened:
   * IT's policy or the test configuration says so; default no (./port-check).
   */
  allowPortsWithoutUsbIds?: () => boolean;
  /** The file-system facts the open check reads; tests give a fake, the app the system's. */
  portFacts?: PortFacts;
  platform?: NodeJS.Platform;
}

export function createSerialConnector(deps: SerialConnectorDeps): DeviceConnector {
  const openPort = deps.openPort ?? openSystemSerialPort;
  const driverFor = deps.driverFor ?? serialDriverFor;
  const newReadingId = deps.newReadingId ?? randomUUID;

  async function findPath(device: AllowedDevice): Promise<string> {
    if (device.address) return device.address;
    if (device.usbVendorId && device.usbProductId) {
      const listing = await deps.lister.list();
      const match = listing.ports.find(
        (p) =>
          p.vendorId === device.usbVendorId?.toLowerCase() &&
          p.productId === device.usbProductId?.toLowerCase(),
      );
      if (match) return match.path;
      throw new DeviceAbsentError(DEVICE_ABSENT_MESSAGES.notPluggedIn);
    }
    throw new AppError('DEVICE', 'This device has no port or USB id set; pair it again.');
  }

  return {
    transport: 'serial',
    async connect(device: AllowedDevice, sink: ReadingSink): Promise<DeviceConnection> {
      const driver = driverFor(device.driver);
      if (!driver)
        throw new AppError('DEVICE', 'This type of device is not supported by this version of the app.');
      const path = await findPath(device);
      // Open only a serial port, and for a device paired by USB id only that USB device.
      await checkSerialPort(path, device, {
        platform: deps.platform ?? process.platform,
        facts: deps.portFacts ?? systemPortFacts,
        listing: () => deps.lister.list(),
        allowWithoutUsbIds: deps.allowPortsWithoutUsbIds?.() ?? false,
      });
      let handle;
      try {
        handle = await openPort({ path, ...driver.line });
      } catch (error) {
        deps.logger.warn('devices.serial.open_failed', {
          driver: driver.id,
          error: error instanceof Error ? error.name : 'unknown',
        });
        throw new DeviceAbsentError(DEVICE_ABSENT_MESSAGES.cannotOpen);
      }

      const parser = driver.createParser();
      const provenance: DeviceReading['provenance'] = {
        deviceId: device.id,
        transport: 'serial',
        driver: driver.id,
        manufacturer: driver.manufacturer,
        model: driver.model,
        address: path,
      };
      let sampleCount = 0;
      let reading = false;
      let closedByApp = false;
      let lastProblem: string | undefined;

      const emit = (output: DriverOutput) => {
        switch (output.type) {
          case 'measurement': {
            lastProblem = undefined;
            const now = deps.clock.now().toISOString();
            if (!reading) {
              reading = true;
              sink.status({ state: 'reading' });
            }
            sink.reading({
              readingId: newReadingId(),
              provenance,
              measuredAt: now,
              receivedAt: now,
              values: output.values,
              notes: output.notes,
              ...(output.signalQuality ? { signalQuality: output.signalQuality } : {}),
              origin: 'live',
              cadence: driver.streaming ? 'streaming' : 'spot-check',
            });
            return;
          }
          case 'waveform':
            sink.waveform({
              deviceId: device.id,
              signal: output.signal,
              sampleRateHz: output.sampleRateHz,
              firstSample: sampleCount,
              samples: output.samples,
            });
            sampleCount += output.samples.length;
            return;
          case 'battery':
            if (output.percent !== undefined) sink.battery(output.percent);
            sink.batteryLow?.(output.low);
            return;
          case 'problem': {
            // Logged when the kind of problem changes, not per frame (75 a second for the pleth format).
            const newProblem = output.error.code !== lastProblem;
            if (newProblem) {
              lastProblem = output.error.code;
              deps.logger.warn('devices.serial.frame_problem', {
                driver: driver.id,
                code: output.error.code,
              });
            }
            if (
              (reading || newProblem) &&
              (output.error.code === 'SPECIAL_VALUE' || output.error.code === 'UNSTABLE')
            ) {
              // The device is there but has no value (sensor off the finger, not steady): not "reading",
              // and the nurse is told why in the parser's words (no values in them).
              reading = false;
              sink.status({ state: 'connected', detail: output.error.message });
            }
            return;
          }
        }
      };

      handle.onData((chunk) => {
        try {
          parser.push(chunk, emit);
        } catch (error) {
          // Parsers do not throw; this guards the listeners downstream, so a fault there cannot take
          // the main process down from inside the port's data callback.
          deps.logger.error('devices.serial.stream_failed', {
            driver: driver.id,
            error: error instanceof Error ? error.name : 'unknown',
          });
        }
      });
      handle.onClose((unplugged) => {
        parser.reset();
        if (closedByApp) return;
        deps.logger.info('devices.serial.unplugged', { driver: driver.id, unplugged });
        sink.status({ state: 'disconnected' });
      });
      sink.info({ manufacturer: driver.manufacturer, model: driver.model });
      sink.status({ state: 'connected' });

      return {
        async close() {
          closedByApp = true;
          await handle.close();
        },
      };
    },
  };
}
