import { describe, expect, it } from 'vitest';
import { ageInYears, bodyMassIndex, meanArterialPressure } from '../../../shared/clinical/derived';

describe('derived values', () => {
  it.each([
    [120, 80, 93.333333],
    [90, 60, 70],
    [180, 120, 140],
  ])('MAP of %d/%d is %d', (sys, dia, map) => {
    expect(meanArterialPressure(sys, dia)).toBeCloseTo(map, 5);
  });

  it.each([
    [70, 175, 22.857143],
    [100, 200, 25],
    [50, 150, 22.222222],
  ])('BMI of %d kg at %d cm is %d', (kg, cm, bmi) => {
    expect(bodyMassIndex(kg, cm)).toBeCloseTo(bmi, 5);
  });

  it('refuses a BMI without a height', () => {
    expect(() => bodyMassIndex(70, 0)).toThrow(RangeError);
  });

  it.each([
    ['1980-06-15', '2026-06-14', 45],
    ['1980-06-15', '2026-06-15', 46],
    ['1980-06-15', '2026-12-31', 46],
    ['2000-02-29', '2025-02-28', 24],
    ['2000-02-29', '2025-03-01', 25],
    ['2000-02-29', '2024-02-29', 24],
    ['2026-01-01', '2026-01-01', 0],
  ])('born %s, on %s is %d', (birth, on, age) => {
    expect(ageInYears(birth, on)).toBe(age);
  });

  it('refuses impossible dates and a birth after the date', () => {
    expect(() => ageInYears('2001-02-29', '2026-01-01')).toThrow(RangeError);
    expect(() => ageInYears('15/06/1980', '2026-01-01')).toThrow(RangeError);
    expect(() => ageInYears('2026-01-02', '2026-01-01')).toThrow(RangeError);
  });
});
