/**
 * Connection stage: the device's clock. Where the device offers Current Time (0x1805/0x2A2B), it is
 * read to learn how far the device's clock is from ours; where that characteristic is writable it can
 * be set (on the nurse's request, or on every connection when the policy says so).
 */
import type { Clock } from '../../../platform/clock';
import {
  CURRENT_TIME,
  CURRENT_TIME_SERVICE,
  encodeCurrentTime,
  parseCurrentTime,
} from '../profiles/current-time';
import { hasCharacteristic, propertiesOf, type StageContext } from './shared';

export interface DeviceClock {
  /** Whether the device lets us set its clock. */
  readonly writable: boolean;
  /** Device clock minus ours, when known (read from the device). */
  offsetMs(): number | undefined;
  /** Sets the device's clock to ours; afterwards its offset is taken as zero. */
  set(): Promise<void>;
}

export async function readDeviceClock(ctx: StageContext, clock: Clock): Promise<DeviceClock | undefined> {
  const { link, services, logger, driver } = ctx;
  if (!hasCharacteristic(services, CURRENT_TIME_SERVICE, CURRENT_TIME)) return undefined;
  const properties = propertiesOf(services, CURRENT_TIME_SERVICE, CURRENT_TIME);
  let offsetMs: number | undefined;
  if (properties.includes('read')) {
    try {
      const bytes = await link.read(CURRENT_TIME_SERVICE, CURRENT_TIME);
      const before = clock.now();
      const deviceNow = parseCurrentTime(bytes);
      if (deviceNow.ok) offsetMs = deviceNow.value.getTime() - before.getTime();
      else logger.warn('devices.ble.clock_unreadable', { driver: driver.id, code: deviceNow.error.code });
    } catch {
      logger.warn('devices.ble.clock_read_failed', { driver: driver.id });
    }
  }
  const writable = properties.includes('write');
  return {
    writable,
    offsetMs: () => offsetMs,
    async set() {
      await link.write(CURRENT_TIME_SERVICE, CURRENT_TIME, encodeCurrentTime(clock.now()), true);
      offsetMs = 0;
      logger.info('devices.ble.clock_set', { driver: driver.id });
    },
  };
}
