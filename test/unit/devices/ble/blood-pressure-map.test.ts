import { describe, expect, it } from 'vitest';
import {
  bloodPressureToValues,
  parseBloodPressureMeasurement,
} from '../../../../main/devices/ble/profiles/blood-pressure';
import { expectOk } from './table';

// No published capture of a cuff sending a bad MAP was found, so these frames are built byte by byte
// from the Bluetooth SIG layout (Blood Pressure Service 1.1 §3.1 / GATT Specification Supplement §3.31):
// flags, systolic, diastolic, MAP (SFLOAT, little-endian), pulse (SFLOAT). SFLOAT specials are from
// IEEE 11073-20601: NaN 0x07FF, NRes 0x0800, +INF 0x07FE, -INF 0x0802, reserved 0x0801.
const FLAGS_PULSE = 0x04;
const SYS_120 = [0x78, 0x00];
const DIA_80 = [0x50, 0x00];
const PULSE_68 = [0x44, 0x00];
const MAP_93 = [0x5d, 0x00];

function frame(map: readonly number[], flags = FLAGS_PULSE): Uint8Array {
  return Uint8Array.of(flags, ...SYS_120, ...DIA_80, ...map, ...PULSE_68);
}

function valuesOf(bytes: Uint8Array) {
  return expectOk(bloodPressureToValues(expectOk(parseBloodPressureMeasurement(bytes))));
}

const NOTE = 'The cuff’s mean arterial pressure was not usable and is left out';

describe('a bad mean arterial pressure drops only the MAP', () => {
  it('keeps a good MAP with the pressures and pulse', () => {
    const r = valuesOf(frame(MAP_93));
    expect(r.values.map((v) => [v.kind, v.value])).toEqual([
      ['systolic', 120],
      ['diastolic', 80],
      ['meanArterialPressure', 93],
      ['heartRate', 68],
    ]);
    expect(r.notes).toEqual([]);
  });

  it.each([
    ['NaN', [0xff, 0x07]],
    ['NRes', [0x00, 0x08]],
    ['+INF', [0xfe, 0x07]],
    ['-INF', [0x02, 0x08]],
    ['reserved', [0x01, 0x08]],
  ])('a MAP of %s: systolic, diastolic and pulse are kept, MAP left out', (_name, map) => {
    const r = valuesOf(frame(map));
    expect(r.values.map((v) => [v.kind, v.value])).toEqual([
      ['systolic', 120],
      ['diastolic', 80],
      ['heartRate', 68],
    ]);
  });

  it.each([
    ['0 mmHg', [0x00, 0x00]],
    ['400 mmHg (beyond what a person has)', [0x90, 0x01]],
  ])('a MAP of %s: the reading stands, the MAP is left out and the nurse is told', (_name, map) => {
    const r = valuesOf(frame(map));
    expect(r.values.map((v) => v.kind)).toEqual(['systolic', 'diastolic', 'heartRate']);
    expect(r.notes).toEqual([NOTE]);
  });

  it('a MAP of 0 kPa with pressures in kPa keeps the converted pressures', () => {
    // 16.0 kPa = 0xF0A0 (mantissa 160, exponent −1), 10.7 kPa = 0xF06B, MAP 0, no pulse.
    const r = valuesOf(Uint8Array.of(0x01, 0xa0, 0xf0, 0x6b, 0xf0, 0x00, 0x00));
    expect(r.values.map((v) => v.kind)).toEqual(['systolic', 'diastolic']);
    expect(r.values[0]?.value).toBeCloseTo(120, 0);
    expect(r.notes).toEqual([NOTE]);
  });

  it('a bad systolic still refuses the reading (only the MAP is optional)', () => {
    const bytes = Uint8Array.of(FLAGS_PULSE, 0xff, 0x07, ...DIA_80, ...MAP_93, ...PULSE_68);
    const r = bloodPressureToValues(expectOk(parseBloodPressureMeasurement(bytes)));
    expect(r.ok).toBe(false);
  });
});
