/** The Gregorian calendar by arithmetic, for years 0000–9999, without Date's 1900s reading of 0–99. */
import { describe, expect, it } from 'vitest';
import { daysInMonth, isLeapYear } from '../../../shared/records/calendar';

describe('daysInMonth', () => {
  it.each([
    // Leap years: every fourth, but not a century unless divisible by 400.
    [2024, 2, 29],
    [2000, 2, 29],
    [1900, 2, 28],
    [2100, 2, 28],
    [2026, 2, 28],
    [2400, 2, 29],
    // Years below 100 are years of their own (Date.UTC would read 0 as 1900, 4 as 1904).
    [0, 2, 29],
    [4, 2, 29],
    [99, 2, 28],
    [100, 2, 28],
    [400, 2, 29],
    [9999, 12, 31],
    [2026, 1, 31],
    [2026, 4, 30],
    [2026, 6, 30],
    [2026, 7, 31],
    [2026, 8, 31],
    [2026, 9, 30],
    [2026, 11, 30],
    [2026, 12, 31],
  ])('%i-%i has %i days', (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });

  it.each([
    [2026, 0],
    [2026, 13],
    [2026, 1.5],
    [2026, Number.NaN],
    [-1, 1],
    [10000, 1],
    [2024.5, 2],
    [Number.NaN, 2],
  ])('%d-%d is no month: 0 days, so no day of it is a date', (year, month) => {
    expect(daysInMonth(year, month)).toBe(0);
  });

  it('agrees with Date for every month of 1900–2200 (where Date reads years as they are)', () => {
    for (let year = 1900; year <= 2200; year++) {
      for (let month = 1; month <= 12; month++) {
        expect(daysInMonth(year, month)).toBe(new Date(Date.UTC(year, month, 0)).getUTCDate());
      }
      expect(isLeapYear(year)).toBe(daysInMonth(year, 2) === 29);
    }
  });
});
