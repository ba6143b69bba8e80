import { describe, expect, it } from 'vitest';
import {
  bloodPressureToValues,
  cuffPressureToMmHg,
  parseBloodPressureMeasurement,
  parseIntermediateCuffPressure,
} from '../../../../main/devices/ble/profiles/blood-pressure';
import {
  encodeBloodPressure,
  sfloat,
  SFLOAT_SPECIALS,
  type BloodPressureFrame,
} from '../../../sim/ble/encoders';
import { everyMask, expectError, expectOk, expectTruncatedAtEveryLength, TIME, TIME_DATE } from './table';

// Blood Pressure Service 1.1 / GATT Specification Supplement §3.31: flag bits 0–4 defined, 5–7 reserved.
function frameFor(mask: number, reservedBits = 0): BloodPressureFrame {
  return {
    kpa: (mask & 1) !== 0,
    systolic: mask & 1 ? sfloat(160, -1) : sfloat(120),
    diastolic: mask & 1 ? sfloat(107, -1) : sfloat(80),
    meanArterialPressure: mask & 1 ? sfloat(124, -1) : sfloat(93),
    timestamp: mask & 2 ? TIME : undefined,
    pulseRate: mask & 4 ? sfloat(68) : undefined,
    userId: mask & 8 ? 3 : undefined,
    status: mask & 16 ? 0b101101 : undefined,
    reservedBits,
  };
}

describe('Blood Pressure Measurement 0x2A35', () => {
  it('parses every flag combination field by field (reserved bits ignored)', () => {
    for (const mask of everyMask(5)) {
      for (const reserved of [0, 0xe0]) {
        const m = expectOk(parseBloodPressureMeasurement(encodeBloodPressure(frameFor(mask, reserved))));
        expect(m.unit).toBe(mask & 1 ? 'kPa' : 'mmHg');
        expect(m.systolic).toEqual({ kind: 'number', value: mask & 1 ? 16 : 120 });
        expect(m.diastolic).toEqual({ kind: 'number', value: mask & 1 ? 10.7 : 80 });
        expect(m.meanArterialPressure).toEqual({ kind: 'number', value: mask & 1 ? 12.4 : 93 });
        expect(m.timestamp).toEqual(mask & 2 ? TIME : undefined);
        expect(m.pulseRate).toEqual(mask & 4 ? { kind: 'number', value: 68 } : undefined);
        expect(m.userId).toBe(mask & 8 ? 3 : undefined);
        expect(m.status).toEqual(
          mask & 16
            ? {
                bodyMovement: true,
                cuffTooLoose: false,
                irregularPulse: true,
                pulseRateRange: 'above',
                improperPosition: true,
              }
            : undefined,
        );
      }
    }
  });

  it('is TRUNCATED at every length short of what the flags promise', () => {
    for (const mask of everyMask(5))
      expectTruncatedAtEveryLength(encodeBloodPressure(frameFor(mask)), parseBloodPressureMeasurement);
  });

  it('maps mmHg and kPa to mm[Hg] with MAP, pulse, status notes and the device time', () => {
    const mmHg = expectOk(
      bloodPressureToValues(expectOk(parseBloodPressureMeasurement(encodeBloodPressure(frameFor(0b10110))))),
    );
    expect(mmHg.values).toEqual([
      { kind: 'systolic', value: 120, unit: 'mm[Hg]' },
      { kind: 'diastolic', value: 80, unit: 'mm[Hg]' },
      { kind: 'meanArterialPressure', value: 93, unit: 'mm[Hg]' },
      { kind: 'heartRate', value: 68, unit: '/min' },
    ]);
    expect(mmHg.notes).toContain('Irregular pulse detected');
    expect(mmHg.measuredAt?.getTime()).toBe(TIME_DATE.getTime());
    const kpa = expectOk(
      bloodPressureToValues(expectOk(parseBloodPressureMeasurement(encodeBloodPressure(frameFor(1))))),
    );
    // 16.0 kPa = 120.0 mmHg; 10.7 kPa = 80.26 mmHg (1 mmHg = 133.322387415 Pa)
    expect(kpa.values[0]?.value).toBeCloseTo(120.01, 2);
    expect(kpa.values[1]?.value).toBeCloseTo(80.256, 2);
  });

  it('keeps the reading when the cuff sends MAP or pulse as NaN, refuses it when systolic or diastolic is special', () => {
    const noMap = expectOk(
      bloodPressureToValues(
        expectOk(
          parseBloodPressureMeasurement(
            encodeBloodPressure({
              systolic: sfloat(118),
              diastolic: sfloat(76),
              meanArterialPressure: SFLOAT_SPECIALS.NaN,
              pulseRate: SFLOAT_SPECIALS.NaN,
            }),
          ),
        ),
      ),
    );
    expect(noMap.values.map((v) => v.kind)).toEqual(['systolic', 'diastolic']);
    for (const special of Object.values(SFLOAT_SPECIALS)) {
      const m = expectOk(
        parseBloodPressureMeasurement(
          encodeBloodPressure({ systolic: special, diastolic: sfloat(76), meanArterialPressure: sfloat(90) }),
        ),
      );
      expectError(bloodPressureToValues(m), 'SPECIAL_VALUE');
    }
  });

  it('refuses implausible pressures and a diastolic not below the systolic as OUT_OF_RANGE', () => {
    const bp = (s: number, d: number) =>
      bloodPressureToValues(
        expectOk(
          parseBloodPressureMeasurement(
            encodeBloodPressure({
              systolic: sfloat(s),
              diastolic: sfloat(d),
              meanArterialPressure: SFLOAT_SPECIALS.NaN,
            }),
          ),
        ),
      );
    expectError(bp(310, 80), 'OUT_OF_RANGE');
    expectError(bp(39, 20), 'OUT_OF_RANGE');
    expectError(bp(120, 19), 'OUT_OF_RANGE');
    expectError(bp(80, 120), 'OUT_OF_RANGE');
    expectError(bp(100, 100), 'OUT_OF_RANGE');
    expect(bp(300, 200).ok).toBe(true);
  });

  it('parses intermediate cuff pressure (0x2A36): current pressure first, the rest NaN', () => {
    const m = expectOk(
      parseIntermediateCuffPressure(
        encodeBloodPressure({
          systolic: sfloat(145),
          diastolic: SFLOAT_SPECIALS.NaN,
          meanArterialPressure: SFLOAT_SPECIALS.NaN,
        }),
      ),
    );
    expect(m.systolic).toEqual({ kind: 'number', value: 145 });
    expect(m.diastolic).toEqual({ kind: 'special', special: 'NaN' });
  });

  it('turns the cuff pressure into whole mmHg (kPa converted), refusing a special or impossible value', () => {
    const cuff = (systolic: number, kpa = false) =>
      cuffPressureToMmHg(
        expectOk(
          parseIntermediateCuffPressure(
            encodeBloodPressure({
              kpa,
              systolic,
              diastolic: SFLOAT_SPECIALS.NaN,
              meanArterialPressure: SFLOAT_SPECIALS.NaN,
            }),
          ),
        ),
      );
    expect(expectOk(cuff(sfloat(145)))).toBe(145);
    expect(expectOk(cuff(sfloat(0)))).toBe(0);
    // 20.0 kPa = 150.0 mmHg (1 kPa = 7.50062 mmHg).
    expect(expectOk(cuff(sfloat(200, -1), true))).toBe(150);
    expectError(cuff(SFLOAT_SPECIALS.NaN), 'SPECIAL_VALUE');
    expectError(cuff(sfloat(400)), 'OUT_OF_RANGE');
    expectError(cuff(sfloat(-5)), 'OUT_OF_RANGE');
  });
});
