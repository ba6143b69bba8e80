import { describe, expect, it } from 'vitest';
import {
  parseTemperatureMeasurement,
  temperatureToValues,
} from '../../../../main/devices/ble/profiles/health-thermometer';
import { encodeTemperature, float32, FLOAT_SPECIALS, type TemperatureFrame } from '../../../sim/ble/encoders';
import { everyMask, expectError, expectOk, expectTruncatedAtEveryLength, TIME, TIME_DATE } from './table';

// Health Thermometer Service 1.0 / GATT Specification Supplement §3.216: flag bits 0–2 defined, 3–7 reserved.
function frameFor(mask: number, reservedBits = 0): TemperatureFrame {
  return {
    fahrenheit: (mask & 1) !== 0,
    temperature: mask & 1 ? float32(9860, -2) : float32(370, -1),
    timestamp: mask & 2 ? TIME : undefined,
    type: mask & 4 ? 3 : undefined,
    reservedBits,
  };
}

describe('Temperature Measurement 0x2A1C', () => {
  it('parses every flag combination field by field (reserved bits ignored)', () => {
    for (const mask of everyMask(3)) {
      for (const reserved of [0, 0xf8]) {
        const m = expectOk(parseTemperatureMeasurement(encodeTemperature(frameFor(mask, reserved))));
        expect(m.unit).toBe(mask & 1 ? '[degF]' : 'Cel');
        expect(m.temperature).toEqual({ kind: 'number', value: mask & 1 ? 98.6 : 37 });
        expect(m.timestamp).toEqual(mask & 2 ? TIME : undefined);
        expect(m.temperatureType).toBe(mask & 4 ? 3 : undefined);
      }
    }
  });

  it('is TRUNCATED at every length short of what the flags promise', () => {
    for (const mask of everyMask(3))
      expectTruncatedAtEveryLength(encodeTemperature(frameFor(mask)), parseTemperatureMeasurement);
  });

  it('converts °F to °C, names the site and keeps the device time', () => {
    const v = expectOk(
      temperatureToValues(expectOk(parseTemperatureMeasurement(encodeTemperature(frameFor(0b111))))),
    );
    expect(v.values).toHaveLength(1);
    expect(v.values[0]).toMatchObject({ kind: 'bodyTemperature', unit: 'Cel' });
    expect(v.values[0]?.value).toBeCloseTo(37, 10);
    expect(v.notes).toEqual(['Site: ear']);
    expect(v.measuredAt?.getTime()).toBe(TIME_DATE.getTime());
    const unknownSite = expectOk(
      temperatureToValues(
        expectOk(parseTemperatureMeasurement(encodeTemperature({ temperature: float32(365, -1), type: 42 }))),
      ),
    );
    expect(unknownSite.notes).toEqual(['Site: not stated']);
  });

  it('refuses FLOAT specials and implausible temperatures', () => {
    for (const special of Object.values(FLOAT_SPECIALS)) {
      expectError(
        temperatureToValues(
          expectOk(parseTemperatureMeasurement(encodeTemperature({ temperature: special }))),
        ),
        'SPECIAL_VALUE',
      );
    }
    const t = (raw: number, fahrenheit = false) =>
      temperatureToValues(
        expectOk(parseTemperatureMeasurement(encodeTemperature({ temperature: raw, fahrenheit }))),
      );
    expectError(t(float32(249, -1)), 'OUT_OF_RANGE');
    expectError(t(float32(451, -1)), 'OUT_OF_RANGE');
    expectError(t(float32(-365, -1)), 'OUT_OF_RANGE'); // negative mantissa
    expectError(t(float32(1140, -1), true), 'OUT_OF_RANGE'); // 114 °F = 45.6 °C
    expect(t(float32(250, -1)).ok).toBe(true);
    expect(t(float32(45, 0)).ok).toBe(true);
  });
});
