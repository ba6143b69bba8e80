/**
 * Feature characteristics, byte by byte against the Bluetooth SIG GATT Specification Supplement
 * (Blood Pressure Feature 3.31, Weight Scale Feature 3.253, PLX Features 3.165). The bytes are built
 * from the specification's bit tables, not captured from a device.
 */
import { describe, expect, it } from 'vitest';
import {
  bloodPressureFeatureWords,
  parseBloodPressureFeature,
  parsePlxFeatures,
  parseWeightScaleFeature,
  plxFeatureWords,
  weightScaleFeatureWords,
} from '../../../../main/devices/ble/profiles/features';

const ok = <T>(r: { ok: true; value: T } | { ok: false }): T => {
  if (!r.ok) throw new Error('expected a parsed value');
  return r.value;
};

describe('Blood Pressure Feature (0x2A49)', () => {
  it('reads each of the six flags from its own bit, little-endian', () => {
    const names = [
      'bodyMovementDetection',
      'cuffFitDetection',
      'irregularPulseDetection',
      'pulseRateRangeDetection',
      'measurementPositionDetection',
      'multipleBonds',
    ] as const;
    names.forEach((name, n) => {
      const f = ok(parseBloodPressureFeature(Uint8Array.of(1 << n, 0x00)));
      for (const other of names) expect(f[other], `${name} alone`).toBe(other === name);
    });
    // Bits of the second byte are later features (or reserved): none of these six.
    expect(Object.values(ok(parseBloodPressureFeature(Uint8Array.of(0x00, 0xff))))).toEqual(
      Array(6).fill(false),
    );
  });

  it('in words, and refuses a value shorter than 2 bytes', () => {
    expect(bloodPressureFeatureWords(ok(parseBloodPressureFeature(Uint8Array.of(0x05, 0x00))))).toEqual([
      'Detects body movement',
      'Detects irregular pulse',
    ]);
    expect(bloodPressureFeatureWords(ok(parseBloodPressureFeature(Uint8Array.of(0, 0))))).toEqual([]);
    expect(parseBloodPressureFeature(Uint8Array.of(0x05))).toMatchObject({
      ok: false,
      error: { code: 'TRUNCATED' },
    });
  });
});

describe('Weight Scale Feature (0x2A9E)', () => {
  const feature = (flags: number) =>
    ok(
      parseWeightScaleFeature(
        Uint8Array.of(flags & 0xff, (flags >>> 8) & 0xff, (flags >>> 16) & 0xff, flags >>> 24),
      ),
    );

  it('reads every weight resolution code (bits 3–6) and height code (bits 7–9)', () => {
    const weights = [1, 2, 3, 4, 5, 6, 7].map((code) => feature(code << 3).weightResolution);
    expect(weights).toEqual([
      { kg: 0.5, lb: 1 },
      { kg: 0.2, lb: 0.5 },
      { kg: 0.1, lb: 0.2 },
      { kg: 0.05, lb: 0.1 },
      { kg: 0.02, lb: 0.05 },
      { kg: 0.01, lb: 0.02 },
      { kg: 0.005, lb: 0.01 },
    ]);
    expect([1, 2, 3].map((code) => feature(code << 7).heightResolution)).toEqual([
      { m: 0.01, inches: 1 },
      { m: 0.005, inches: 0.5 },
      { m: 0.001, inches: 0.1 },
    ]);
    // 0 is "not specified"; 8–15 and 4–7 are reserved: no resolution is claimed.
    expect(feature(0).weightResolution).toBeUndefined();
    expect(feature(8 << 3).weightResolution).toBeUndefined();
    expect(feature(4 << 7).heightResolution).toBeUndefined();
    // The two fields do not bleed into each other.
    expect(feature((7 << 3) | (3 << 7))).toMatchObject({
      weightResolution: { kg: 0.005 },
      heightResolution: { m: 0.001 },
    });
  });

  it('reads time stamp, multiple users and BMI, and puts it in words', () => {
    const f = feature(0x01 | 0x04 | (3 << 3));
    expect(f).toMatchObject({ timeStamp: true, multipleUsers: false, bmi: true });
    expect(weightScaleFeatureWords(f)).toEqual([
      'Weighs to 0.1 kg (0.2 lb)',
      'Sends BMI',
      'Time-stamps weighings',
    ]);
    expect(weightScaleFeatureWords(feature(0x02 | (1 << 7)))).toEqual([
      'Measures height to 0.01 m (1 in)',
      'Several users',
    ]);
  });

  it('refuses a value shorter than its 4 bytes', () => {
    expect(parseWeightScaleFeature(Uint8Array.of(0x07, 0, 0))).toMatchObject({
      ok: false,
      error: { code: 'TRUNCATED' },
    });
  });
});

describe('PLX Features (0x2A60)', () => {
  it('reads the supported features and, when flagged, the two status-support fields in order', () => {
    const f = ok(parsePlxFeatures(Uint8Array.of(0x03, 0x00, 0x60, 0x01, 0x00, 0x09, 0x80)));
    expect(f).toMatchObject({
      measurementStatus: true,
      deviceAndSensorStatus: true,
      spotCheckStorage: false,
      measurementStatusSupport: 0x0160,
      deviceAndSensorStatusSupport: 0x800900,
    });
    // Only Device and Sensor Status Support: it starts right after the flags.
    expect(ok(parsePlxFeatures(Uint8Array.of(0x02, 0x00, 0x01, 0x02, 0x03)))).toMatchObject({
      deviceAndSensorStatusSupport: 0x030201,
    });
    expect(ok(parsePlxFeatures(Uint8Array.of(0x00, 0x00)))).not.toHaveProperty('measurementStatusSupport');
  });

  it('refuses a value that flags a field it does not send', () => {
    for (const bytes of [
      Uint8Array.of(0x01),
      Uint8Array.of(0x01, 0x00, 0x60),
      Uint8Array.of(0x03, 0x00, 0x60, 0x01, 0x00, 0x09),
      Uint8Array.of(0x02, 0x00, 0x01, 0x02),
    ]) {
      expect(parsePlxFeatures(bytes)).toMatchObject({ ok: false, error: { code: 'TRUNCATED' } });
    }
  });

  it('in words, each bit its own', () => {
    const words = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => {
      const extra = n === 0 ? [0, 0] : n === 1 ? [0, 0, 0] : [];
      return plxFeatureWords(ok(parsePlxFeatures(Uint8Array.of(1 << n, 0x00, ...extra))));
    });
    expect(words).toEqual([
      ['Reports measurement status'],
      ['Reports device and sensor status'],
      ['Stores spot checks'],
      ['Time-stamps spot checks'],
      ['Fast-responding SpO₂ and pulse'],
      ['Slow-responding SpO₂ and pulse'],
      ['Pulse amplitude index (perfusion)'],
      ['Pairs with several computers'],
    ]);
  });
});
