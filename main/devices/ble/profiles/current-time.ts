/**
 * Current Time (0x2A2B) of the Current Time Service 0x1805: the device's own clock, read to learn how
 * far off it is and, where the characteristic is writable, set from the workstation's clock.
 * Layout: Current Time Service 1.1 §3.1 / GATT Specification Supplement "Current Time": Exact Time 256
 * (Day Date Time = Date Time (7 bytes) + Day of Week uint8 (1 Monday … 7 Sunday, 0 unknown), then
 * Fractions256 uint8) followed by Adjust Reason uint8 (bit0 manual time update, bit1 external
 * reference, bit2 time zone change, bit3 DST change). 10 bytes.
 */
import { dateTimeToDate, parseDateTime } from '../../ieee11073';
import { parseFailure, parsed, type ParseResult } from '../../parse-result';

export const CURRENT_TIME_SERVICE = '1805';
export const CURRENT_TIME = '2a2b';
export const CURRENT_TIME_LENGTH = 10;
const ADJUST_MANUAL_UPDATE = 0x01;

/** The device's current time as an instant (its wall clock read in our time zone). */
export function parseCurrentTime(bytes: Uint8Array): ParseResult<Date> {
  if (bytes.length < CURRENT_TIME_LENGTH)
    return parseFailure('TRUNCATED', 'The device clock reading is incomplete.');
  const dateTime = parseDateTime(bytes, 0);
  if (!dateTime.ok) return dateTime;
  const fractions = bytes[8]!;
  const at = dateTimeToDate(dateTime.value);
  if (!at) return parseFailure('GARBAGE', 'The device clock is not set.');
  return parsed(new Date(at.getTime() + Math.floor((fractions * 1000) / 256)));
}

/** The bytes that set a device's clock to `now` (our wall clock), as a manual time update. */
export function encodeCurrentTime(now: Date): Uint8Array {
  const year = now.getFullYear();
  const dayOfWeek = now.getDay() === 0 ? 7 : now.getDay();
  return Uint8Array.of(
    year & 0xff,
    year >> 8,
    now.getMonth() + 1,
    now.getDate(),
    now.getHours(),
    now.getMinutes(),
    now.getSeconds(),
    dayOfWeek,
    Math.floor((now.getMilliseconds() * 256) / 1000),
    ADJUST_MANUAL_UPDATE,
  );
}
