import { describe, expect, it } from 'vitest';
import {
  parsePlxContinuousMeasurement,
  parsePlxSpotCheckMeasurement,
  pulseOximetryToValues,
} from '../../../../main/devices/ble/profiles/pulse-oximeter';
import {
  encodePlxContinuous,
  encodePlxSpotCheck,
  sfloat,
  SFLOAT_SPECIALS,
  type PlxContinuousFrame,
  type PlxSpotCheckFrame,
} from '../../../sim/ble/encoders';
import { everyMask, expectError, expectOk, expectTruncatedAtEveryLength, TIME, TIME_DATE } from './table';

// Pulse Oximeter Service 1.0.1 / GATT Specification Supplement §3.172 (spot-check: flag bits 0–4,
// 5–7 reserved) and §3.173 (continuous: flag bits 0–4, 5–7 reserved).
function spotFor(mask: number, reservedBits = 0): PlxSpotCheckFrame {
  return {
    spo2: sfloat(96),
    pulseRate: sfloat(725, -1),
    timestamp: mask & 1 ? TIME : undefined,
    measurementStatus: mask & 2 ? 1 << 7 : undefined, // validated data
    deviceAndSensorStatus: mask & 4 ? 1 << 5 : undefined, // low perfusion
    pulseAmplitudeIndex: mask & 8 ? sfloat(87, -1) : undefined,
    clockNotSet: (mask & 16) !== 0,
    reservedBits,
  };
}

function continuousFor(mask: number, reservedBits = 0): PlxContinuousFrame {
  return {
    spo2: sfloat(98),
    pulseRate: sfloat(61),
    fast: mask & 1 ? { spo2: sfloat(97), pulseRate: sfloat(63) } : undefined,
    slow: mask & 2 ? { spo2: sfloat(99), pulseRate: sfloat(60) } : undefined,
    measurementStatus: mask & 4 ? 1 << 8 : undefined,
    deviceAndSensorStatus: mask & 8 ? 0x010000 : undefined, // a reserved bit only
    pulseAmplitudeIndex: mask & 16 ? sfloat(25, -1) : undefined,
    reservedBits,
  };
}

describe('PLX Spot-check Measurement 0x2A5E', () => {
  it('parses every flag combination field by field (reserved bits ignored)', () => {
    for (const mask of everyMask(5)) {
      for (const reserved of [0, 0xe0]) {
        const m = expectOk(parsePlxSpotCheckMeasurement(encodePlxSpotCheck(spotFor(mask, reserved))));
        expect(m.spo2).toEqual({ kind: 'number', value: 96 });
        expect(m.pulseRate).toEqual({ kind: 'number', value: 72.5 });
        expect(m.timestamp).toEqual(mask & 1 ? TIME : undefined);
        expect(m.measurementStatus).toBe(mask & 2 ? 1 << 7 : undefined);
        expect(m.deviceAndSensorStatus).toBe(mask & 4 ? 1 << 5 : undefined);
        expect(m.pulseAmplitudeIndex).toEqual(mask & 8 ? { kind: 'number', value: 8.7 } : undefined);
        expect(m.deviceClockNotSet).toBe((mask & 16) !== 0);
      }
    }
  });

  it('is TRUNCATED at every length short of what the flags promise', () => {
    for (const mask of everyMask(5))
      expectTruncatedAtEveryLength(encodePlxSpotCheck(spotFor(mask)), parsePlxSpotCheckMeasurement);
  });

  it('decodes an example frame produced by an independent PLX implementation (SpO2 94, PR 147, 2024-11-29 23:08:57, PAI 8.7)', () => {
    const bytes = Uint8Array.of(
      15,
      172,
      243,
      190,
      245,
      232,
      7,
      11,
      29,
      23,
      8,
      57,
      32,
      64,
      34,
      0,
      0,
      102,
      227,
    );
    const m = expectOk(parsePlxSpotCheckMeasurement(bytes));
    expect(m.spo2).toEqual({ kind: 'number', value: 94 });
    expect(m.pulseRate).toEqual({ kind: 'number', value: 147 });
    expect(m.timestamp).toEqual({ year: 2024, month: 11, day: 29, hours: 23, minutes: 8, seconds: 57 });
    expect(m.measurementStatus).toBe((1 << 5) | (1 << 14));
    expect(m.deviceAndSensorStatus).toBe((1 << 1) | (1 << 5));
    expect(m.pulseAmplitudeIndex?.kind === 'number' && m.pulseAmplitudeIndex.value).toBeCloseTo(8.7, 10);
  });

  it('maps to SpO2 and pulse; uses the device time only when its clock is set', () => {
    const withClock = expectOk(
      pulseOximetryToValues(expectOk(parsePlxSpotCheckMeasurement(encodePlxSpotCheck(spotFor(0b00111))))),
    );
    expect(withClock.values).toEqual([
      { kind: 'spo2', value: 96, unit: '%' },
      { kind: 'heartRate', value: 72.5, unit: '/min' },
    ]);
    expect(withClock.notes).toEqual(['Low perfusion']);
    expect(withClock.measuredAt?.getTime()).toBe(TIME_DATE.getTime());
    const noClock = expectOk(
      pulseOximetryToValues(expectOk(parsePlxSpotCheckMeasurement(encodePlxSpotCheck(spotFor(0b10001))))),
    );
    expect(noClock.measuredAt).toBeUndefined();
  });

  it('refuses sensor-off, invalid, settling, demo data, specials and implausible SpO2', () => {
    const spot = (f: Partial<PlxSpotCheckFrame>) =>
      pulseOximetryToValues(
        expectOk(
          parsePlxSpotCheckMeasurement(encodePlxSpotCheck({ spo2: sfloat(97), pulseRate: sfloat(70), ...f })),
        ),
      );
    expectError(spot({ deviceAndSensorStatus: 1 << 11 }), 'UNSTABLE'); // unconnected to user
    expectError(spot({ deviceAndSensorStatus: 1 << 15 }), 'UNSTABLE'); // sensor disconnected
    expectError(spot({ measurementStatus: 1 << 15 }), 'UNSTABLE'); // invalid
    expectError(spot({ measurementStatus: 1 << 5 }), 'UNSTABLE'); // ongoing
    expectError(spot({ measurementStatus: 1 << 10 }), 'UNSTABLE'); // demonstration
    expectError(spot({ spo2: SFLOAT_SPECIALS.NaN }), 'SPECIAL_VALUE');
    expectError(spot({ spo2: sfloat(49) }), 'OUT_OF_RANGE');
    expectError(spot({ spo2: sfloat(1001, -1) }), 'OUT_OF_RANGE');
    expectError(spot({ pulseRate: sfloat(19) }), 'OUT_OF_RANGE');
    // SpO2 without a pulse rate is still a reading.
    expect(expectOk(spot({ pulseRate: SFLOAT_SPECIALS.NaN })).values.map((v) => v.kind)).toEqual(['spo2']);
  });
});

describe('PLX Continuous Measurement 0x2A5F', () => {
  it('parses every flag combination field by field (reserved bits ignored)', () => {
    for (const mask of everyMask(5)) {
      for (const reserved of [0, 0xe0]) {
        const m = expectOk(parsePlxContinuousMeasurement(encodePlxContinuous(continuousFor(mask, reserved))));
        expect(m.spo2).toEqual({ kind: 'number', value: 98 });
        expect(m.pulseRate).toEqual({ kind: 'number', value: 61 });
        expect(m.fast).toEqual(
          mask & 1
            ? { spo2: { kind: 'number', value: 97 }, pulseRate: { kind: 'number', value: 63 } }
            : undefined,
        );
        expect(m.slow).toEqual(
          mask & 2
            ? { spo2: { kind: 'number', value: 99 }, pulseRate: { kind: 'number', value: 60 } }
            : undefined,
        );
        expect(m.measurementStatus).toBe(mask & 4 ? 1 << 8 : undefined);
        expect(m.deviceAndSensorStatus).toBe(mask & 8 ? 0x010000 : undefined);
        expect(m.pulseAmplitudeIndex).toEqual(mask & 16 ? { kind: 'number', value: 2.5 } : undefined);
        expect(pulseOximetryToValues(m).ok).toBe(true);
      }
    }
  });

  it('is TRUNCATED at every length short of what the flags promise', () => {
    for (const mask of everyMask(5))
      expectTruncatedAtEveryLength(encodePlxContinuous(continuousFor(mask)), parsePlxContinuousMeasurement);
  });
});
