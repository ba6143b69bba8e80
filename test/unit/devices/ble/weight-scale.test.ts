import { describe, expect, it } from 'vitest';
import { parseWeightMeasurement, weightToValues } from '../../../../main/devices/ble/profiles/weight-scale';
import { encodeWeight, type WeightFrame } from '../../../sim/ble/encoders';
import { everyMask, expectError, expectOk, expectTruncatedAtEveryLength, TIME } from './table';

// Weight Scale Service 1.0 / GATT Specification Supplement §3.251: flag bits 0–3 defined, 4–7 reserved.
function frameFor(mask: number, reservedBits = 0): WeightFrame {
  return {
    imperial: (mask & 1) !== 0,
    weight: mask & 1 ? 16535 : 15000, // 165.35 lb | 75.000 kg
    timestamp: mask & 2 ? TIME : undefined,
    userId: mask & 4 ? 2 : undefined,
    bmiHeight: mask & 8 ? { bmi: 245, height: mask & 1 ? 690 : 1750 } : undefined, // 69.0 in | 1.750 m
    reservedBits,
  };
}

describe('Weight Measurement 0x2A9D', () => {
  it('parses every flag combination field by field (reserved bits ignored)', () => {
    for (const mask of everyMask(4)) {
      for (const reserved of [0, 0xf0]) {
        const m = expectOk(parseWeightMeasurement(encodeWeight(frameFor(mask, reserved))));
        expect(m.units).toBe(mask & 1 ? 'imperial' : 'SI');
        expect(m.weight).toBeCloseTo(mask & 1 ? 165.35 : 75, 10);
        expect(m.timestamp).toEqual(mask & 2 ? TIME : undefined);
        expect(m.userId).toBe(mask & 4 ? 2 : undefined);
        expect(m.bmi).toBe(mask & 8 ? 24.5 : undefined);
        expect(m.height).toBe(mask & 8 ? (mask & 1 ? 69 : 1.75) : undefined);
      }
    }
  });

  it('is TRUNCATED at every length short of what the flags promise', () => {
    for (const mask of everyMask(4))
      expectTruncatedAtEveryLength(encodeWeight(frameFor(mask)), parseWeightMeasurement);
  });

  it('converts lb to kg and in to cm; SI height m to cm', () => {
    const imperial = expectOk(
      weightToValues(expectOk(parseWeightMeasurement(encodeWeight(frameFor(0b1001))))),
    );
    expect(imperial.values.map((v) => [v.kind, v.unit])).toEqual([
      ['bodyWeight', 'kg'],
      ['bodyHeight', 'cm'],
      ['bmi', 'kg/m2'],
    ]);
    expect(imperial.values[0]?.value).toBeCloseTo(165.35 * 0.45359237, 9);
    expect(imperial.values[1]?.value).toBeCloseTo(175.26, 9);
    const si = expectOk(weightToValues(expectOk(parseWeightMeasurement(encodeWeight(frameFor(0b1000))))));
    expect(si.values.map((v) => v.value)).toEqual([75, 175, 24.5]);
  });

  it('refuses "measurement unsuccessful" (0xFFFF) and implausible weights; drops an implausible height alone', () => {
    expectError(
      weightToValues(expectOk(parseWeightMeasurement(encodeWeight({ weight: 0xffff })))),
      'SPECIAL_VALUE',
    );
    expectError(
      weightToValues(expectOk(parseWeightMeasurement(encodeWeight({ weight: 59 })))),
      'OUT_OF_RANGE',
    ); // 0.295 kg
    expect(
      expectOk(weightToValues(expectOk(parseWeightMeasurement(encodeWeight({ weight: 60 }))))).values[0]
        ?.value,
    ).toBe(0.3);
    const noHeight = expectOk(
      weightToValues(
        expectOk(parseWeightMeasurement(encodeWeight({ weight: 15000, bmiHeight: { bmi: 0, height: 0 } }))),
      ),
    );
    expect(noHeight.values.map((v) => v.kind)).toEqual(['bodyWeight']);
  });
});
