import { describe, expect, it } from 'vitest';
import {
  encodeRacpRequest,
  glucoseContextNotes,
  glucoseToValues,
  parseGlucoseContext,
  parseGlucoseMeasurement,
  parseRacpResponse,
} from '../../../../main/devices/ble/profiles/glucose';
import {
  encodeGlucose,
  encodeGlucoseContext,
  encodeRacpNumberOfRecords,
  encodeRacpResponseCode,
  RACP,
  sfloat,
  SFLOAT_SPECIALS,
  type GlucoseFrame,
} from '../../../sim/ble/encoders';
import { everyMask, expectError, expectOk, expectTruncatedAtEveryLength, TIME } from './table';

// Glucose Service 1.0.1 / GATT Specification Supplement §3.106: flag bits 0–4 defined, 5–7 reserved.
function frameFor(mask: number, reservedBits = 0): GlucoseFrame {
  return {
    sequenceNumber: 0x1234 + mask,
    baseTime: TIME,
    timeOffset: mask & 1 ? -90 : undefined,
    concentration:
      mask & 2
        ? {
            value: mask & 4 ? sfloat(54, -4) : sfloat(97, -5),
            molPerL: (mask & 4) !== 0,
            type: 2,
            location: 1,
          }
        : undefined,
    sensorStatus: mask & 8 ? 1 << 0 : undefined, // battery low
    contextFollows: (mask & 16) !== 0,
    reservedBits,
  };
}

describe('Glucose Measurement 0x2A18', () => {
  it('parses every flag combination field by field (reserved bits ignored)', () => {
    for (const mask of everyMask(5)) {
      // The units bit without a concentration has nothing to qualify; the encoder only sets it with one.
      if (mask & 4 && !(mask & 2)) continue;
      for (const reserved of [0, 0xe0]) {
        const m = expectOk(parseGlucoseMeasurement(encodeGlucose(frameFor(mask, reserved))));
        expect(m.sequenceNumber).toBe(0x1234 + mask);
        expect(m.baseTime).toEqual(TIME);
        expect(m.timeOffset).toBe(mask & 1 ? -90 : undefined);
        expect(m.concentration).toEqual(
          mask & 2
            ? {
                value: { kind: 'number', value: mask & 4 ? 0.0054 : 0.00097 },
                unit: mask & 4 ? 'mol/L' : 'kg/L',
                type: 2,
                sampleLocation: 1,
              }
            : undefined,
        );
        expect(m.sensorStatus).toBe(mask & 8 ? 1 : undefined);
        expect(m.contextFollows).toBe((mask & 16) !== 0);
      }
    }
  });

  it('is TRUNCATED at every length short of what the flags promise', () => {
    for (const mask of everyMask(5))
      expectTruncatedAtEveryLength(encodeGlucose(frameFor(mask)), parseGlucoseMeasurement);
  });

  it('converts kg/L and mol/L to mg/dL and applies the time offset', () => {
    const kg = expectOk(glucoseToValues(expectOk(parseGlucoseMeasurement(encodeGlucose(frameFor(0b0011))))));
    expect(kg.values).toEqual([{ kind: 'glucose', value: 97, unit: 'mg/dL' }]);
    expect(kg.notes).toEqual(['Sample: capillary plasma', 'Site: finger']);
    expect(kg.measuredAt?.getTime()).toBe(new Date(2025, 2, 14, 7, 56, 53).getTime());
    const mol = expectOk(glucoseToValues(expectOk(parseGlucoseMeasurement(encodeGlucose(frameFor(0b0110))))));
    expect(mol.values[0]?.value).toBeCloseTo(5.4 * 18.016, 9);
  });

  it('refuses records without a value, with a fault, from control solution, special or implausible', () => {
    const g = (f: Partial<GlucoseFrame>) =>
      glucoseToValues(
        expectOk(
          parseGlucoseMeasurement(
            encodeGlucose({
              sequenceNumber: 1,
              baseTime: TIME,
              concentration: { value: sfloat(100, -5), type: 1, location: 1 },
              ...f,
            }),
          ),
        ),
      );
    expectError(g({ concentration: undefined }), 'SPECIAL_VALUE');
    for (const bit of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) expectError(g({ sensorStatus: 1 << bit }), 'UNSTABLE');
    expect(g({ sensorStatus: 1 << 0 }).ok).toBe(true); // battery low is a note, not a refusal
    expectError(g({ concentration: { value: sfloat(100, -5), type: 10, location: 1 } }), 'UNSTABLE');
    expectError(g({ concentration: { value: sfloat(100, -5), type: 1, location: 4 } }), 'UNSTABLE');
    expectError(
      g({ concentration: { value: SFLOAT_SPECIALS['+INF'], type: 1, location: 1 } }),
      'SPECIAL_VALUE',
    );
    expectError(g({ concentration: { value: sfloat(9, -5), type: 1, location: 1 } }), 'OUT_OF_RANGE');
    expectError(g({ concentration: { value: sfloat(1001, -5), type: 1, location: 1 } }), 'OUT_OF_RANGE');
    // A time fault keeps the value but not the meter's clock.
    const timeFault = expectOk(g({ sensorStatus: 1 << 11 }));
    expect(timeFault.measuredAt).toBeUndefined();
  });
});

describe('Record Access Control Point 0x2A52', () => {
  it('encodes the requests', () => {
    expect([...encodeRacpRequest({ opcode: 'report-records', filter: 'all' })]).toEqual([
      RACP.reportStoredRecords,
      RACP.operatorAll,
    ]);
    expect([
      ...encodeRacpRequest({ opcode: 'report-records', filter: 'from-sequence', sequenceNumber: 0x0102 }),
    ]).toEqual([RACP.reportStoredRecords, RACP.operatorGreaterOrEqual, 0x01, 0x02, 0x01]);
    expect([...encodeRacpRequest({ opcode: 'report-number-of-records', filter: 'all' })]).toEqual([
      RACP.reportNumberOfRecords,
      RACP.operatorAll,
    ]);
    expect([...encodeRacpRequest({ opcode: 'abort' })]).toEqual([RACP.abort, 0]);
  });

  it('parses response codes and the number of records', () => {
    expect(
      expectOk(parseRacpResponse(encodeRacpResponseCode(RACP.reportStoredRecords, RACP.success))),
    ).toEqual({ kind: 'response-code', requestOpcode: 1, code: 'success' });
    expect(expectOk(parseRacpResponse(encodeRacpResponseCode(1, RACP.noRecordsFound)))).toMatchObject({
      code: 'no-records-found',
    });
    expect(expectOk(parseRacpResponse(encodeRacpResponseCode(1, 0x7f)))).toMatchObject({ code: 'reserved' });
    expect(expectOk(parseRacpResponse(encodeRacpNumberOfRecords(513)))).toEqual({
      kind: 'number-of-records',
      count: 513,
    });
    expectTruncatedAtEveryLength(encodeRacpResponseCode(1, 1), parseRacpResponse);
    expectTruncatedAtEveryLength(encodeRacpNumberOfRecords(3), parseRacpResponse);
    expectError(parseRacpResponse(Uint8Array.of(0x42, 0, 0, 0)), 'BAD_FLAGS');
  });
});

describe('Glucose Measurement Context 0x2A34', () => {
  it('reads the meal, who tested, carbohydrate and HbA1c, skipping extended flags', () => {
    const bytes = encodeGlucoseContext({
      sequenceNumber: 0x0102,
      extendedFlags: 0,
      carbohydrate: { id: 1, kg: sfloat(50, -3) },
      meal: 3,
      tester: 2,
      health: 5,
      hba1c: sfloat(62, -1),
    });
    // flags 0xC7, seq 0x0102 little-endian, ext, carb id + SFLOAT, meal, tester|health, HbA1c SFLOAT.
    expect([...bytes.subarray(0, 3)]).toEqual([0xc7, 0x02, 0x01]);
    const context = expectOk(parseGlucoseContext(bytes));
    expect(context).toEqual({
      sequenceNumber: 0x0102,
      carbohydrate: { grams: 50, meal: 'breakfast' },
      meal: 'fasting',
      tester: 'a health professional',
      hba1c: 6.2,
    });
    expect(glucoseContextNotes(context)).toEqual([
      'Meal: Fasting',
      'Tested by a health professional',
      'Carbohydrate: 50 g (breakfast)',
      'HbA1c: 6.2%',
    ]);
    expectTruncatedAtEveryLength(bytes, parseGlucoseContext);
  });

  it.each([
    [1, 'Meal: Before a meal'],
    [2, 'Meal: After a meal'],
    [4, 'Meal: Casual (not timed to a meal)'],
    [5, 'Meal: At bedtime'],
  ])('meal %d reads "%s"; a reserved meal or tester adds nothing', (meal, words) => {
    expect(
      glucoseContextNotes(expectOk(parseGlucoseContext(encodeGlucoseContext({ sequenceNumber: 1, meal })))),
    ).toEqual([words]);
    expect(
      glucoseContextNotes(
        expectOk(parseGlucoseContext(encodeGlucoseContext({ sequenceNumber: 1, meal: 9, tester: 15 }))),
      ),
    ).toEqual([]);
  });
});
