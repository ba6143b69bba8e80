/**
 * The result every device-protocol parser returns (BLE GATT profiles and serial formats alike).
 * Parsers never throw: any byte sequence yields either a typed value or one of these errors.
 */

export type ParseErrorCode =
  /** Fewer bytes than the flags (or the format) promise. */
  | 'TRUNCATED'
  /** Flags or header bits that the format does not allow (not merely reserved bits, which are ignored). */
  | 'BAD_FLAGS'
  | 'BAD_CHECKSUM'
  /** The device sent an IEEE 11073 special (NaN, NRes, ±INF, reserved) where a measurement was expected. */
  | 'SPECIAL_VALUE'
  /** A value outside the plausible range for a person (DOMAIN.md): a sensor fault, not a reading. */
  | 'OUT_OF_RANGE'
  /** The device says the value is not settled (e.g. scale not stable). */
  | 'UNSTABLE'
  /** Bytes that are not this protocol at all. */
  | 'GARBAGE';

export interface ParseError {
  code: ParseErrorCode;
  /** A short sentence without clinical values or identifiers (it may be logged). */
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseError };

export function parsed<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function parseFailure<T = never>(code: ParseErrorCode, message: string): ParseResult<T> {
  return { ok: false, error: { code, message } };
}
