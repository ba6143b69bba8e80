/**
 * Apple Health writes dates as "2026-01-15 08:30:00 +0100": local wall-clock time and its UTC offset.
 * Read by position rather than by regular expression and Date.parse: an export holds millions of them.
 */

import { daysInMonth } from '../../../../shared/records/calendar';
import { HOME_DATA_YEARS } from '../local-time';

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * Milliseconds since the epoch, or NaN when the text is not an Apple date or not a real time (no such
 * day, or a year no home measurement has, such as 0026, which Date.UTC would read as 1926).
 */
export function appleDateMs(s: string): number {
  if (
    s.length !== 25 ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 32 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 32
  ) {
    return NaN;
  }
  const sign = s.charCodeAt(20) === 43 ? 1 : s.charCodeAt(20) === 45 ? -1 : NaN;
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  const offset = sign * (two(s, 21) * 60 + two(s, 23));
  if (!(
    year >= HOME_DATA_YEARS.first &&
    year <= HOME_DATA_YEARS.last &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 60 &&
    Math.abs(offset) <= 18 * 60
  )) {
    return NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000;
}

/**
 * Every time within an hour of an offset of whole hours shares its date, its hour and its hour in UTC, so
 * what is worked out once per hour (an export holds millions of times, a year of them fewer than 9,000
 * hours) serves them all; the minutes and seconds are copied. A time qualifies when it has every
 * separator in place, minutes and seconds of two digits below 60 (a second 60 rolls over) and an offset
 * ending in "00"; its other digits are checked by hourKey.
 */
function hasHourShape(text: string): boolean {
  return (
    text.length === 25 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 32 &&
    text.charCodeAt(19) === 32 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(23) === 48 &&
    text.charCodeAt(24) === 48 &&
    two(text, 14) <= 59 &&
    two(text, 17) <= 59
  );
}

/**
 * The hour of such a time as a number (year, month, day, hour, offset's sign and hours), NaN when one of
 * them is not digits. A number, not a piece of the text: a cut-out string would keep the file's whole
 * chunk in memory for as long as the hour is remembered.
 */
function hourKey(text: string): number {
  const sign = text.charCodeAt(20) === 43 ? 0 : text.charCodeAt(20) === 45 ? 1 : NaN;
  return (
    ((((two(text, 0) * 100 + two(text, 2)) * 100 + two(text, 5)) * 100 + two(text, 8)) * 100 +
      two(text, 11)) *
      1000 +
    sign * 100 +
    two(text, 21)
  );
}

/** The hour of such a time as an Apple date at minute and second zero, for a full conversion. */
const hourText = (text: string): string => `${text.slice(0, 14)}00:00${text.slice(19)}`;

const HOURS_KEPT = 100_000;
/** Per hour: its UTC instant's "YYYY-MM-DDTHH", or null for a time that is not real. */
const utcHours = new Map<number, string | null>();
/** Per hour: the local day it belongs to, or null for a time that is not real. */
const localDays = new Map<number, LocalDay | null>();

function remember<T>(cache: Map<number, T>, key: number, value: T): T {
  if (cache.size >= HOURS_KEPT) cache.clear();
  cache.set(key, value);
  return value;
}

/** The instant in ISO 8601 UTC, or undefined when the text is not an Apple date. */
export function appleDateToIso(text: string): string | undefined {
  const key = hasHourShape(text) ? hourKey(text) : NaN;
  if (!Number.isNaN(key)) {
    let utc = utcHours.get(key);
    if (utc === undefined) {
      const ms = appleDateMs(hourText(text));
      utc = remember(utcHours, key, Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 13));
    }
    return utc === null ? undefined : `${utc}:${text.slice(14, 16)}:${text.slice(17, 19)}.000Z`;
  }
  const ms = appleDateMs(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export interface LocalDay {
  day: string;
  hour: number;
  offset: string;
}

/**
 * The local calendar date the phone showed ("2026-01-15"), its hour, and its offset ("+01:00"). The same
 * object is returned for every time of an hour: read it, do not change it.
 */
export function appleLocalDay(text: string): Readonly<LocalDay> | undefined {
  const key = hasHourShape(text) ? hourKey(text) : NaN;
  const known = Number.isNaN(key) ? undefined : localDays.get(key);
  if (known !== undefined) return known ?? undefined;
  const local = Number.isNaN(appleDateMs(text))
    ? null
    : { day: text.slice(0, 10), hour: two(text, 11), offset: `${text.slice(20, 23)}:${text.slice(23, 25)}` };
  if (!Number.isNaN(key)) remember(localDays, key, local);
  return local ?? undefined;
}

/** The calendar day before `day` (YYYY-MM-DD). */
export function previousDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Midnight of a local day at an offset, as an ISO UTC instant. */
export function localMidnightIso(day: string, offset: string, plusDays = 0): string {
  const d = new Date(Date.parse(`${day}T00:00:00${offset}`) + plusDays * 86_400_000);
  return d.toISOString();
}
