/** Height typed and shown in feet and inches: the edges where inches carry into a foot, and what is refused. */
import { describe, expect, it } from 'vitest';
import {
  FEET_AND_INCHES,
  feetAndInches,
  formatFeetAndInches,
  formatVitalPlain,
  isSupportedUnit,
  parseFeetAndInches,
  toCanonical,
} from '../../../shared/clinical/units';

describe('feet and inches', () => {
  it('reads the ways a nurse writes a height, to cm exactly (1 in = 2.54 cm)', () => {
    expect(parseFeetAndInches('5 ft 9 in')).toBeCloseTo(175.26, 10);
    expect(parseFeetAndInches('5ft 9in')).toBeCloseTo(175.26, 10);
    expect(parseFeetAndInches(`5' 9"`)).toBeCloseTo(175.26, 10);
    expect(parseFeetAndInches('5’9”')).toBeCloseTo(175.26, 10);
    expect(parseFeetAndInches('5 9')).toBeCloseTo(175.26, 10);
    expect(parseFeetAndInches('5 feet 9.5 inches')).toBeCloseTo(176.53, 10);
    expect(parseFeetAndInches('5 ft 9,5 in')).toBeCloseTo(176.53, 10);
    expect(parseFeetAndInches('6 ft')).toBeCloseTo(182.88, 10);
    expect(parseFeetAndInches("6'")).toBeCloseTo(182.88, 10);
    expect(parseFeetAndInches('5 ft 0 in')).toBeCloseTo(152.4, 10);
    expect(parseFeetAndInches('5 ft 11.9 in')).toBeCloseTo((60 + 11.9) * 2.54, 10);
    // A quarter inch, as a tape reads, and the space a nurse leaves after the unit.
    expect(parseFeetAndInches('5 ft 9.25 in')).toBeCloseTo((60 + 9.25) * 2.54, 10);
    expect(parseFeetAndInches('5 ft 9 in  ')).toBeCloseTo(175.26, 10);
  });

  it('refuses twelve inches or more, a bare number, and anything else', () => {
    expect(parseFeetAndInches('5 ft 12 in')).toBeNull();
    expect(parseFeetAndInches('5 ft 12.0 in')).toBeNull();
    expect(parseFeetAndInches('5 13')).toBeNull();
    // A bare number could be feet or inches: not guessed.
    expect(parseFeetAndInches('5')).toBeNull();
    expect(parseFeetAndInches('69')).toBeNull();
    expect(parseFeetAndInches('5.5 ft')).toBeNull();
    expect(parseFeetAndInches('-5 ft 9 in')).toBeNull();
    expect(parseFeetAndInches('')).toBeNull();
    expect(parseFeetAndInches('five foot nine')).toBeNull();
    expect(parseFeetAndInches('5 ft 9 in 3')).toBeNull();
  });

  it('shows whole feet and inches to one decimal, carrying 11.96 in into the next foot', () => {
    expect(formatFeetAndInches(175.26)).toBe('5 ft 9 in');
    expect(formatFeetAndInches(176.53)).toBe('5 ft 9.5 in');
    // 71.996 in rounds to 72.0: 6 ft 0 in, not 5 ft 12 in.
    expect(formatFeetAndInches(182.87)).toBe('6 ft 0 in');
    expect(feetAndInches(182.87)).toEqual({ feet: 6, inches: 0 });
    // 71.94 in stays below the foot.
    expect(feetAndInches(182.73)).toEqual({ feet: 5, inches: 11.9 });
    expect(formatFeetAndInches(0)).toBe('0 ft 0 in');
    expect(formatFeetAndInches(30.48)).toBe('1 ft 0 in');
  });

  it('round-trips every tenth of an inch from 4 ft to 7 ft', () => {
    for (let tenths = 480; tenths <= 840; tenths += 1) {
      const inches = tenths / 10;
      const feet = Math.floor(inches / 12);
      const rest = Math.round((inches - feet * 12) * 10) / 10;
      const cm = parseFeetAndInches(`${feet} ft ${rest} in`);
      expect(cm).not.toBeNull();
      expect(formatFeetAndInches(cm!)).toBe(`${feet} ft ${rest} in`);
    }
  });

  it('is a way of writing inches, not a unit: never stored, sent or taken from FHIR', () => {
    expect(isSupportedUnit('bodyHeight', FEET_AND_INCHES)).toBe(false);
    expect(isSupportedUnit('bodyHeight', '[in_i]')).toBe(true);
    expect(() => toCanonical('bodyHeight', 5, FEET_AND_INCHES)).toThrow(/cannot be used/);
    // Inches themselves at the edges: 1 in = 2.54 cm, and 69 in reads as 175.3 cm.
    expect(toCanonical('bodyHeight', 1, '[in_i]')).toBe(2.54);
    expect(formatVitalPlain('bodyHeight', 175.26, '[in_i]')).toBe('69 in');
    expect(formatVitalPlain('bodyHeight', 175.26)).toBe('175.3 cm');
  });
});
