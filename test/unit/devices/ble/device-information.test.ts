import { describe, expect, it } from 'vitest';
import { parseBatteryLevel } from '../../../../main/devices/ble/profiles/battery';
import { parseDeviceInformationString } from '../../../../main/devices/ble/profiles/device-information';
import { encodeUtf8 } from '../../../sim/ble/encoders';
import { expectError, expectOk } from './table';

describe('Device Information strings (DIS 1.1)', () => {
  it('decodes UTF-8, strips NUL padding and control characters, trims and caps', () => {
    expect(parseDeviceInformationString(encodeUtf8('Omron Healthcare'))).toBe('Omron Healthcare');
    expect(parseDeviceInformationString(Uint8Array.of(...encodeUtf8('BP-7 '), 0, 0, 0))).toBe('BP-7');
    expect(parseDeviceInformationString(encodeUtf8('Säkerhet\r\n'))).toBe('Säkerhet');
    expect(parseDeviceInformationString(new Uint8Array(0))).toBeUndefined();
    expect(parseDeviceInformationString(Uint8Array.of(0, 0))).toBeUndefined();
    expect(parseDeviceInformationString(Uint8Array.of(0xff, 0xfe, 0x41))).toBe('\ufffd\ufffdA');
    expect(parseDeviceInformationString(encodeUtf8('x'.repeat(500)))).toHaveLength(64);
  });
});

describe('Battery Level 0x2A19 (Battery Service 1.0)', () => {
  it('reads 0–100 % and refuses the reserved values above 100', () => {
    expect(expectOk(parseBatteryLevel(Uint8Array.of(0)))).toBe(0);
    expect(expectOk(parseBatteryLevel(Uint8Array.of(100)))).toBe(100);
    expectError(parseBatteryLevel(Uint8Array.of(101)), 'OUT_OF_RANGE');
    expectError(parseBatteryLevel(new Uint8Array(0)), 'TRUNCATED');
  });
});
