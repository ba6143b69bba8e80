/** What the stages of a BLE connection share: the open link, its services and a guard for radio callbacks. */
import type { Logger } from '../../../logging/logger';
import type { BlePeripheralLink, BleServiceInfo } from '../adapter';
import type { BleDriver } from '../drivers';

export interface StageContext {
  link: BlePeripheralLink;
  services: readonly BleServiceInfo[];
  driver: BleDriver;
  logger: Logger;
  /** Unsubscribe functions of every subscription made, undone on close. */
  unsubscribes: (() => Promise<void>)[];
}

export function hasCharacteristic(
  services: readonly BleServiceInfo[],
  service: string,
  characteristic: string,
): boolean {
  return services.some((s) => s.uuid === service && s.characteristics.some((c) => c.uuid === characteristic));
}

export function propertiesOf(
  services: readonly BleServiceInfo[],
  service: string,
  characteristic: string,
): readonly string[] {
  return (
    services.find((s) => s.uuid === service)?.characteristics.find((c) => c.uuid === characteristic)
      ?.properties ?? []
  );
}

/** Radio callbacks run outside any caller: a fault downstream is logged, never thrown into the radio stack. */
export function guarded(
  ctx: Pick<StageContext, 'logger' | 'driver'>,
  handler: (bytes: Uint8Array) => void,
): (bytes: Uint8Array) => void {
  return (bytes) => {
    try {
      handler(bytes);
    } catch (error) {
      ctx.logger.error('devices.ble.handler_failed', {
        driver: ctx.driver.id,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  };
}
