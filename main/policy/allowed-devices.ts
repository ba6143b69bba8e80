/**
 * Whether IT's `allowedDevices` rules let a device be paired at this workstation. Pure. No rules in
 * the policy: any supported device; an empty list: none.
 */
import type { AllowedDevice } from '../devices/types';
import type { AllowedDeviceRule } from './schema';

export function isDeviceAllowedByPolicy(
  rules: readonly AllowedDeviceRule[] | undefined,
  device: Pick<AllowedDevice, 'transport' | 'driver' | 'address' | 'usbVendorId' | 'usbProductId'>,
): boolean {
  if (rules === undefined) return true;
  return rules.some((rule) => matches(rule, device));
}

function matches(
  rule: AllowedDeviceRule,
  device: Pick<AllowedDevice, 'transport' | 'driver' | 'address' | 'usbVendorId' | 'usbProductId'>,
): boolean {
  const same = (wanted: string | undefined, actual: string | undefined): boolean =>
    wanted === undefined || (actual !== undefined && wanted.toLowerCase() === actual.toLowerCase());
  return (
    rule.transport === device.transport &&
    same(rule.driver, device.driver) &&
    same(rule.usbVendorId, device.usbVendorId) &&
    same(rule.usbProductId, device.usbProductId) &&
    same(rule.address, device.address)
  );
}
