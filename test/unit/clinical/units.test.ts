import { describe, expect, it } from 'vitest';
import {
  displayValue,
  formatVital,
  fromCanonical,
  isSupportedUnit,
  roundTo,
  toCanonical,
  unitOptions,
  UnsupportedUnitError,
} from '../../../shared/clinical/units';
import { vitalKindSchema, VITALS } from '../../../shared/clinical/vital-signs';

describe('unit conversions', () => {
  it.each([
    ['bodyTemperature', 98.6, '[degF]', 37],
    ['bodyTemperature', 32, '[degF]', 0],
    ['bodyTemperature', 212, '[degF]', 100],
    ['bodyWeight', 1, '[lb_av]', 0.45359237],
    ['bodyWeight', 154, '[lb_av]', 69.85322498],
    ['bodyHeight', 1, '[in_i]', 2.54],
    ['bodyHeight', 70, '[in_i]', 177.8],
    ['glucose', 5.5, 'mmol/L', 99.088],
    ['glucose', 1, 'mmol/L', 18.016],
    ['systolic', 16, 'kPa', 120.00985],
    ['diastolic', 1, 'kPa', 7.500617],
    ['heartRate', 72, '/min', 72],
  ] as const)('%s: %d %s is %d canonical', (kind, value, unit, canonical) => {
    expect(toCanonical(kind, value, unit)).toBeCloseTo(canonical, 4);
    expect(fromCanonical(kind, canonical, unit)).toBeCloseTo(value, 4);
  });

  it('round-trips every supported unit', () => {
    for (const kind of vitalKindSchema.options) {
      for (const option of unitOptions(kind)) {
        expect(fromCanonical(kind, toCanonical(kind, 42.25, option.code), option.code)).toBeCloseTo(42.25, 9);
      }
    }
  });

  it('lists the canonical unit first', () => {
    for (const kind of vitalKindSchema.options) expect(unitOptions(kind)[0]?.code).toBe(VITALS[kind].unit);
  });

  it('refuses a unit that does not fit the vital', () => {
    expect(isSupportedUnit('bodyWeight', '[degF]')).toBe(false);
    expect(isSupportedUnit('bodyWeight', '[lb_av]')).toBe(true);
    expect(() => toCanonical('bodyWeight', 1, '[degF]')).toThrow(UnsupportedUnitError);
    expect(() => fromCanonical('heartRate', 1, 'toString')).toThrow(UnsupportedUnitError);
  });
});

describe('display rounding', () => {
  it.each([
    [1.005, 2, 1.01],
    [2.5, 0, 3],
    [-2.5, 0, -3],
    [36.85, 1, 36.9],
    [99.95, 1, 100],
    [0.1 + 0.2, 1, 0.3],
  ])('roundTo(%d, %d) = %d', (value, decimals, expected) => {
    expect(roundTo(value, decimals)).toBe(expected);
  });

  it('shows each unit at its precision', () => {
    expect(formatVital('bodyTemperature', 37, '[degF]')).toBe('98.6 °F');
    // Stored to hundredths (a 0.05 °C thermometer): shown so, not rounded to 36.9.
    expect(formatVital('bodyTemperature', 36.85)).toBe('36.85 °C');
    expect(formatVital('glucose', 99.088, 'mmol/L')).toBe('5.5 mmol/L');
    expect(formatVital('glucose', 99.088)).toBe('99 mg/dL');
    expect(formatVital('bodyWeight', 70, '[lb_av]')).toBe('154.3 lb');
    expect(formatVital('systolic', 120, 'kPa')).toBe('16.0 kPa');
    expect(displayValue('heartRate', 72.4)).toBe(72);
  });
});
