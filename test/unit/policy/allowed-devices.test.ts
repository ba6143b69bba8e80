import { describe, expect, it } from 'vitest';
import { isDeviceAllowedByPolicy } from '../../../main/policy/allowed-devices';
import type { AllowedDeviceRule } from '../../../main/policy/schema';

const nonin = {
  transport: 'serial',
  driver: 'serial.nonin-8',
  usbVendorId: '0403',
  usbProductId: '6001',
} as const;
const cuff = { transport: 'ble', driver: 'ble.blood-pressure', address: 'AA:BB:CC:DD:EE:FF' } as const;

describe('allowed devices by policy', () => {
  it('no rules in the policy: every supported device', () => {
    expect(isDeviceAllowedByPolicy(undefined, nonin)).toBe(true);
  });

  it('an empty list: no device', () => {
    expect(isDeviceAllowedByPolicy([], nonin)).toBe(false);
  });

  it.each<[string, AllowedDeviceRule, boolean]>([
    ['transport only', { transport: 'serial' }, true],
    ['other transport', { transport: 'ble' }, false],
    ['driver', { transport: 'serial', driver: 'serial.nonin-8' }, true],
    ['other driver', { transport: 'serial', driver: 'serial.and-scale' }, false],
    ['USB ids, any case', { transport: 'serial', usbVendorId: '0403', usbProductId: '6001' }, true],
    ['other product id', { transport: 'serial', usbVendorId: '0403', usbProductId: '6015' }, false],
  ])('serial oximeter, rule %s → %s', (_name, rule, allowed) => {
    expect(isDeviceAllowedByPolicy([rule], nonin)).toBe(allowed);
  });

  it('a rule naming an address matches only that device, whatever the case', () => {
    expect(isDeviceAllowedByPolicy([{ transport: 'ble', address: 'aa:bb:cc:dd:ee:ff' }], cuff)).toBe(true);
    expect(isDeviceAllowedByPolicy([{ transport: 'ble', address: '11:22:33:44:55:66' }], cuff)).toBe(false);
    // A rule with a field the device does not have does not match it.
    expect(isDeviceAllowedByPolicy([{ transport: 'ble', usbVendorId: '0403' }], cuff)).toBe(false);
  });

  it('any matching rule is enough', () => {
    const rules: AllowedDeviceRule[] = [
      { transport: 'serial', driver: 'serial.and-scale' },
      { transport: 'ble' },
    ];
    expect(isDeviceAllowedByPolicy(rules, cuff)).toBe(true);
    expect(isDeviceAllowedByPolicy(rules, nonin)).toBe(false);
  });
});
