/**
 * IEEE 11073-20601 number and time encodings used by the Bluetooth SIG health profiles
 * (GATT Specification Supplement §2.2 "SFLOAT" / "FLOAT" data types; IEEE 11073-20601 Annex F.8).
 *
 * SFLOAT: 16 bits, high 4 bits signed exponent (base 10), low 12 bits signed mantissa.
 * FLOAT:  32 bits, high 8 bits signed exponent, low 24 bits signed mantissa.
 * The special values are the mantissas below with exponent 0; they are returned as typed specials,
 * never as numbers, so a "NaN from the device" cannot be mistaken for a measurement.
 */
import { parseFailure, parsed, type ParseResult } from './parse-result';
import { daysInMonth } from '../../shared/records/calendar';

export type Ieee11073Special = 'NaN' | 'NRes' | '+INF' | '-INF' | 'reserved';

export type Ieee11073Number =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'special'; readonly special: Ieee11073Special };

// Raw 16-bit SFLOAT specials (exponent 0).
export const SFLOAT_NAN = 0x07ff;
export const SFLOAT_NRES = 0x0800;
export const SFLOAT_POSITIVE_INFINITY = 0x07fe;
export const SFLOAT_NEGATIVE_INFINITY = 0x0802;
export const SFLOAT_RESERVED = 0x0801;

// Raw 32-bit FLOAT specials (exponent 0).
export const FLOAT_NAN = 0x007fffff;
export const FLOAT_NRES = 0x00800000;
export const FLOAT_POSITIVE_INFINITY = 0x007ffffe;
export const FLOAT_NEGATIVE_INFINITY = 0x00800002;
export const FLOAT_RESERVED = 0x00800001;

const NAN: Ieee11073Number = Object.freeze({ kind: 'special', special: 'NaN' });
const NRES: Ieee11073Number = Object.freeze({ kind: 'special', special: 'NRes' });
const POS_INF: Ieee11073Number = Object.freeze({ kind: 'special', special: '+INF' });
const NEG_INF: Ieee11073Number = Object.freeze({ kind: 'special', special: '-INF' });
const RESERVED: Ieee11073Number = Object.freeze({ kind: 'special', special: 'reserved' });

// Dividing by 10^n (rather than multiplying by 10^-n) keeps 365 × 10^-1 exactly 36.5.
const POWERS_OF_TEN: readonly number[] = Array.from({ length: 129 }, (_, i) => 10 ** i);

function scale(mantissa: number, exponent: number): number {
  if (exponent === 0) return mantissa;
  return exponent > 0 ? mantissa * POWERS_OF_TEN[exponent]! : mantissa / POWERS_OF_TEN[-exponent]!;
}

/** Decodes a raw 16-bit SFLOAT (as read little-endian). */
export function decodeSfloat(raw: number): Ieee11073Number {
  const bits = raw & 0xffff;
  switch (bits) {
    case SFLOAT_NAN:
      return NAN;
    case SFLOAT_NRES:
      return NRES;
    case SFLOAT_POSITIVE_INFINITY:
      return POS_INF;
    case SFLOAT_NEGATIVE_INFINITY:
      return NEG_INF;
    case SFLOAT_RESERVED:
      return RESERVED;
  }
  const exponent = bits >> 12 >= 8 ? (bits >> 12) - 16 : bits >> 12;
  const m = bits & 0x0fff;
  const mantissa = m >= 0x0800 ? m - 0x1000 : m;
  return { kind: 'number', value: scale(mantissa, exponent) };
}

/** Decodes a raw 32-bit FLOAT (as read little-endian). */
export function decodeFloat(raw: number): Ieee11073Number {
  const bits = raw >>> 0;
  switch (bits) {
    case FLOAT_NAN:
      return NAN;
    case FLOAT_NRES:
      return NRES;
    case FLOAT_POSITIVE_INFINITY:
      return POS_INF;
    case FLOAT_NEGATIVE_INFINITY:
      return NEG_INF;
    case FLOAT_RESERVED:
      return RESERVED;
  }
  const e = bits >>> 24;
  const exponent = e >= 0x80 ? e - 0x100 : e;
  const m = bits & 0x00ffffff;
  const mantissa = m >= 0x00800000 ? m - 0x01000000 : m;
  return { kind: 'number', value: scale(mantissa, exponent) };
}

/** Reads an SFLOAT at `offset`; the caller has checked the length. */
export function readSfloat(bytes: Uint8Array, offset: number): Ieee11073Number {
  return decodeSfloat(bytes[offset]! | (bytes[offset + 1]! << 8));
}

/** Reads a FLOAT at `offset`; the caller has checked the length. */
export function readFloat(bytes: Uint8Array, offset: number): Ieee11073Number {
  return decodeFloat(
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
      0,
  );
}

export function readUint16(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8);
}

export function readInt16(bytes: Uint8Array, offset: number): number {
  const v = readUint16(bytes, offset);
  return v >= 0x8000 ? v - 0x10000 : v;
}

/**
 * Date Time characteristic layout (GATT Specification Supplement §3.70 "Date Time"): year uint16
 * (1582–9999, 0 = not known), month (1–12, 0 = not known), day (1–31, 0 = not known), hours 0–23,
 * minutes 0–59, seconds 0–59. The device's wall clock, without a time zone.
 */
export interface DeviceDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

export const DATE_TIME_LENGTH = 7;

/** Parses a 7-byte Date Time at `offset`. Out-of-range fields mean the bytes are not a Date Time. */
export function parseDateTime(bytes: Uint8Array, offset = 0): ParseResult<DeviceDateTime> {
  if (offset < 0 || bytes.length - offset < DATE_TIME_LENGTH) {
    return parseFailure('TRUNCATED', 'The date and time sent by the device is incomplete.');
  }
  const year = readUint16(bytes, offset);
  const month = bytes[offset + 2]!;
  const day = bytes[offset + 3]!;
  const hours = bytes[offset + 4]!;
  const minutes = bytes[offset + 5]!;
  const seconds = bytes[offset + 6]!;
  if (
    (year !== 0 && (year < 1582 || year > 9999)) ||
    month > 12 ||
    day > 31 ||
    hours > 23 ||
    minutes > 59 ||
    seconds > 59
  ) {
    return parseFailure('GARBAGE', 'The device sent a date and time that does not exist.');
  }
  return parsed({ year, month, day, hours, minutes, seconds });
}

/** True when year, month and day are all known (the spec lets a device send 0 for "not known"). */
export function isDateTimeKnown(dt: DeviceDateTime): boolean {
  return dt.year !== 0 && dt.month !== 0 && dt.day !== 0;
}

/**
 * The device's wall-clock time as an instant, read in the workstation's time zone (the device has
 * none); undefined when the date is not known or does not exist (e.g. 31 February).
 */
export function dateTimeToDate(dt: DeviceDateTime, offsetMinutes = 0): Date | undefined {
  if (!isDateTimeKnown(dt) || dt.day > daysInMonth(dt.year, dt.month)) return undefined;
  const date = new Date(dt.year, dt.month - 1, dt.day, dt.hours, dt.minutes + offsetMinutes, dt.seconds);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
