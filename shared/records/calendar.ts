/**
 * The Gregorian calendar, extended back to year 0000 as ISO 8601 does, for years 0000–9999. Pure
 * arithmetic: unlike Date.UTC it does not read years 0–99 as 1900–1999.
 */

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Every fourth year, except centuries not divisible by 400 (1900 and 2100 are not, 2000 is). */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * How many days `month` (1–12) of `year` has; 0 when there is no such month (a month outside 1–12, a year
 * outside 0000–9999, or not a whole number), so `day >= 1 && day <= daysInMonth(y, m)` checks a date.
 */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(year) || year < 0 || year > 9999 || !Number.isInteger(month)) return 0;
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS[month - 1] ?? 0;
}
