/** Connection stage: who the device is (Device Information) and its battery (Battery Service). */
import type { BlePeripheralLink, BleServiceInfo } from '../adapter';
import { BATTERY_LEVEL, BATTERY_SERVICE, parseBatteryLevel } from '../profiles/battery';
import {
  DEVICE_INFORMATION_FIELDS,
  DEVICE_INFORMATION_SERVICE,
  parseDeviceInformationString,
  type DeviceInformation,
} from '../profiles/device-information';
import type { ReadingSink } from '../../types';
import type { Logger } from '../../../logging/logger';
import { guarded, hasCharacteristic, propertiesOf, type StageContext } from './shared';

export async function readDeviceInformation(
  link: BlePeripheralLink,
  services: readonly BleServiceInfo[],
  logger: Logger,
): Promise<DeviceInformation> {
  const info: DeviceInformation = {};
  for (const [field, uuid] of DEVICE_INFORMATION_FIELDS) {
    if (!hasCharacteristic(services, DEVICE_INFORMATION_SERVICE, uuid)) continue;
    try {
      const text = parseDeviceInformationString(await link.read(DEVICE_INFORMATION_SERVICE, uuid));
      if (text) info[field] = text;
    } catch {
      logger.warn('devices.ble.info_read_failed', { field });
    }
  }
  return info;
}

/** Reads the battery level and follows it when the device notifies changes. */
export async function followBattery(ctx: StageContext, sink: ReadingSink): Promise<void> {
  const { link, services } = ctx;
  if (!hasCharacteristic(services, BATTERY_SERVICE, BATTERY_LEVEL)) return;
  const onBattery = guarded(ctx, (bytes: Uint8Array) => {
    const level = parseBatteryLevel(bytes);
    if (level.ok) sink.battery(level.value);
  });
  try {
    onBattery(await link.read(BATTERY_SERVICE, BATTERY_LEVEL));
    if (propertiesOf(services, BATTERY_SERVICE, BATTERY_LEVEL).includes('notify')) {
      ctx.unsubscribes.push(await link.subscribe(BATTERY_SERVICE, BATTERY_LEVEL, onBattery));
    }
  } catch {
    ctx.logger.warn('devices.ble.battery_read_failed', { driver: ctx.driver.id });
  }
}
