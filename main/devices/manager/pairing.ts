/**
 * Pairing: which devices may be used at this workstation. A pairing names a supported driver and
 * where to find the device, is not a duplicate, and is allowed by IT's policy before it is saved.
 */
import { AppError } from '../../../shared/ipc/errors';
import type { Transport } from '../../../shared/devices/reading';
import type { Logger } from '../../logging/logger';
import type { AllowedDevice, AllowedDeviceStore } from '../types';

export interface PairRequest {
  name: string;
  transport: Transport;
  driver: string;
  address?: string | undefined;
  usbVendorId?: string | undefined;
  usbProductId?: string | undefined;
}

export function pairDevice(
  request: PairRequest,
  deps: {
    store: AllowedDeviceStore;
    logger: Logger;
    newDeviceId: () => string;
    isSupported: (transport: Transport, driver: string) => boolean;
    isAllowedByPolicy?: ((device: AllowedDevice) => boolean) | undefined;
  },
): AllowedDevice {
  if (!deps.isSupported(request.transport, request.driver)) {
    throw new AppError('VALIDATION', 'That device type is not supported for this connection.', [
      { path: 'driver', message: 'Choose one of the supported device types.' },
    ]);
  }
  const device: AllowedDevice = {
    id: deps.newDeviceId(),
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
  const duplicate = deps.store
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
  deps.store.save(device);
  deps.logger.info('devices.paired', { transport: device.transport, driver: device.driver });
  return device;
}
