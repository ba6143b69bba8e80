import { describe, expect, it } from 'vitest';
import {
  heartRateToValues,
  parseHeartRateMeasurement,
} from '../../../../main/devices/ble/profiles/heart-rate';
import { encodeHeartRate, type HeartRateFrame } from '../../../sim/ble/encoders';
import { everyMask, expectError, expectOk, expectTruncatedAtEveryLength } from './table';

// Heart Rate Service 1.0 / GATT Specification Supplement §3.113: flag bits 0–4 defined, 5–7 reserved.
describe('Heart Rate Measurement 0x2A37', () => {
  const contacts = ['unsupported', 'detected', 'not-detected'] as const;

  it('parses every flag combination field by field (reserved bits ignored)', () => {
    let cases = 0;
    for (const mask of everyMask(3)) {
      for (const contact of contacts) {
        for (const reservedBits of [0, 0xe0]) {
          const frame: HeartRateFrame = {
            wide: (mask & 1) !== 0,
            heartRate: mask & 1 ? 301 + mask : 72 + mask,
            contact,
            energyExpended: mask & 2 ? 1234 : undefined,
            rr: mask & 4 ? [1024, 800, 1100] : undefined,
            reservedBits,
          };
          const m = expectOk(parseHeartRateMeasurement(encodeHeartRate(frame)));
          expect(m.heartRate).toBe(frame.heartRate);
          expect(m.sensorContact).toBe(contact === 'unsupported' ? 'not-supported' : contact);
          expect(m.energyExpended).toBe(frame.energyExpended);
          expect(m.rrIntervals).toEqual((frame.rr ?? []).map((rr) => rr / 1024));
          cases++;
        }
      }
    }
    expect(cases).toBe(48);
  });

  it('ignores the contact-detected bit when the contact feature is not supported', () => {
    const m = expectOk(parseHeartRateMeasurement(Uint8Array.of(0b010, 70)));
    expect(m.sensorContact).toBe('not-supported');
  });

  it('is TRUNCATED at every length short of the fixed fields, and when an RR interval is cut in half', () => {
    expectTruncatedAtEveryLength(
      encodeHeartRate({ heartRate: 400, wide: true, energyExpended: 9 }),
      parseHeartRateMeasurement,
    );
    const withRr = encodeHeartRate({ heartRate: 60, rr: [1000, 1001] });
    expectError(parseHeartRateMeasurement(withRr.subarray(0, withRr.length - 1)), 'TRUNCATED');
    expect(expectOk(parseHeartRateMeasurement(withRr.subarray(0, withRr.length - 2))).rrIntervals).toEqual([
      1000 / 1024,
    ]);
  });

  it('maps to a heart rate in /min; no skin contact and implausible rates are not readings', () => {
    const ok = expectOk(
      heartRateToValues(
        expectOk(parseHeartRateMeasurement(encodeHeartRate({ heartRate: 64, contact: 'detected' }))),
      ),
    );
    expect(ok.values).toEqual([{ kind: 'heartRate', value: 64, unit: '/min' }]);
    expectError(
      heartRateToValues(
        expectOk(parseHeartRateMeasurement(encodeHeartRate({ heartRate: 64, contact: 'not-detected' }))),
      ),
      'UNSTABLE',
    );
    expectError(
      heartRateToValues(expectOk(parseHeartRateMeasurement(encodeHeartRate({ heartRate: 0 })))),
      'OUT_OF_RANGE',
    );
    expectError(
      heartRateToValues(expectOk(parseHeartRateMeasurement(encodeHeartRate({ heartRate: 301, wide: true })))),
      'OUT_OF_RANGE',
    );
    expect(
      expectOk(
        heartRateToValues(
          expectOk(parseHeartRateMeasurement(encodeHeartRate({ heartRate: 300, wide: true }))),
        ),
      ).values[0]?.value,
    ).toBe(300);
  });
});
