/** Helpers for the profile table tests. */
import { expect } from 'vitest';
import type { ParseResult } from '../../../../main/devices/parse-result';

/** Every subset of the given flag bits. */
export function everyMask(bits: number): number[] {
  return Array.from({ length: 1 << bits }, (_, i) => i);
}

/** Every strict prefix of a valid frame must be TRUNCATED (the frame's fields are fixed-length). */
export function expectTruncatedAtEveryLength<T>(
  frame: Uint8Array,
  parse: (b: Uint8Array) => ParseResult<T>,
): void {
  for (let n = 0; n < frame.length; n++) {
    const r = parse(frame.subarray(0, n));
    expect(r.ok, `length ${n} of ${frame.length}`).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('TRUNCATED');
  }
}

export function expectOk<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error(`expected a value, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

export function expectError<T>(r: ParseResult<T>, code: string): void {
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error.code).toBe(code);
}

export const TIME = { year: 2025, month: 3, day: 14, hours: 9, minutes: 26, seconds: 53 };
export const TIME_DATE = new Date(2025, 2, 14, 9, 26, 53);
