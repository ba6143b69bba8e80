/**
 * Times in exports that carry no offset (CGM CSVs write the device's wall-clock time). They are read in
 * the workstation's time zone, since patient and clinic are in the same place, or at a given UTC offset.
 */

import { daysInMonth } from '../../../shared/records/calendar';

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The years a home measurement can have. A year such as 0026 or 2626 in a file is a typing or export
 * fault, not a reading, and is refused (Date would also move years 0–99 to 1900–1999).
 */
export const HOME_DATA_YEARS = { first: 1900, last: 2200 } as const;

function valid(t: WallClock): boolean {
  return (
    t.day >= 1 &&
    t.day <= daysInMonth(t.year, t.month) &&
    t.hour >= 0 &&
    t.hour <= 23 &&
    t.minute >= 0 &&
    t.minute <= 59 &&
    t.second >= 0 &&
    t.second <= 59 &&
    t.year >= HOME_DATA_YEARS.first &&
    t.year <= HOME_DATA_YEARS.last
  );
}

/** The instant as an ISO string in UTC, or undefined when the date does not exist (31 February). */
export function wallClockToIso(t: WallClock, utcOffsetMinutes?: number): string | undefined {
  if (!valid(t)) return undefined;
  const ms =
    utcOffsetMinutes === undefined
      ? new Date(t.year, t.month - 1, t.day, t.hour, t.minute, t.second).getTime()
      : Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - utcOffsetMinutes * 60_000;
  return new Date(ms).toISOString();
}

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** "2026-03-01T08:15:00" or "2026-03-01 8:15" as wall-clock time. */
export function parseIsoLocal(text: string): WallClock | undefined {
  const m = ISO_LOCAL.exec(text.trim());
  if (!m) return undefined;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
  };
}

const NUMERIC = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$/;

/** "01/03/2026 08:15" (day first) or "03/01/2026 8:15 AM" (month first); 12-hour clocks allowed. */
export function parseNumericDate(text: string, order: 'dmy' | 'mdy'): WallClock | undefined {
  const m = NUMERIC.exec(text.trim());
  if (!m) return undefined;
  let hour = Number(m[4]);
  const meridiem = m[7]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  const a = Number(m[1]);
  const b = Number(m[2]);
  return {
    year: Number(m[3]),
    month: order === 'dmy' ? b : a,
    day: order === 'dmy' ? a : b,
    hour,
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
  };
}
