/**
 * Apple dates are converted once per hour and the rest of each time is copied (dates.ts): the result must
 * be exactly what converting each time in full gives, for real times, times that roll over, times that do
 * not exist and text that is no date, in whatever order they come (the per-hour answers are kept).
 */
import { describe, expect, it } from 'vitest';
import { appleDateMs, appleDateToIso, appleLocalDay } from '../../../main/import/formats/apple-health/dates';

/** What converting in full gives. */
function reference(text: string): string | undefined {
  const ms = appleDateMs(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function localReference(text: string): { day: string; hour: number; offset: string } | undefined {
  if (Number.isNaN(appleDateMs(text))) return undefined;
  return {
    day: text.slice(0, 10),
    hour: Number(text.slice(11, 13)),
    offset: `${text.slice(20, 23)}:${text.slice(23, 25)}`,
  };
}

/** A deterministic sequence, so a failure names the case it met. */
function* cases(count: number): Generator<string> {
  let seed = 20261202;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const pad = (n: number): string => String(n).padStart(2, '0');
  const offsets = ['+0000', '+0100', '-0500', '+0530', '-0930', '+1400', '-1200', '+1900', '+0100'];
  for (let i = 0; i < count; i++) {
    const year = [2019, 2024, 2025, 2100, 1899, 26][next(6)]!;
    const month = 1 + next(13);
    const day = 1 + next(31);
    const hour = next(25);
    const minute = next(61);
    const second = next(62);
    const text = `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)} ${offsets[next(offsets.length)]!}`;
    yield text;
    // Damaged forms of the same time: a letter for a digit, a missing separator.
    const at = next(text.length);
    yield `${text.slice(0, at)}x${text.slice(at + 1)}`;
    yield text.replace(':', '');
  }
}

describe('Apple dates converted once per hour', () => {
  it('gives for every time what converting it in full gives', () => {
    const seen: string[] = [];
    for (const text of cases(20_000)) {
      seen.push(text);
      expect([text, appleDateToIso(text)]).toEqual([text, reference(text)]);
      expect([text, appleLocalDay(text)]).toEqual([text, localReference(text)]);
    }
    // Asked again, now from the kept hours, in another order.
    for (const text of seen.reverse()) {
      expect([text, appleDateToIso(text)]).toEqual([text, reference(text)]);
    }
  });

  it('rolls over into the next UTC day and year and keeps minutes and seconds', () => {
    expect(appleDateToIso('2025-12-31 23:59:59 -0100')).toBe('2026-01-01T00:59:59.000Z');
    expect(appleDateToIso('2025-12-31 23:07:08 -0100')).toBe('2026-01-01T00:07:08.000Z');
    expect(appleDateToIso('2024-03-01 00:30:15 +0100')).toBe('2024-02-29T23:30:15.000Z');
  });

  it('refuses a time of an hour that does not exist even after a real time of the same text shape', () => {
    expect(appleDateToIso('2025-02-28 10:00:00 +0000')).toBe('2025-02-28T10:00:00.000Z');
    expect(appleDateToIso('2025-02-29 10:00:00 +0000')).toBeUndefined();
    expect(appleDateToIso('2025-02-29 10:15:00 +0000')).toBeUndefined();
    expect(appleLocalDay('2025-02-29 10:15:00 +0000')).toBeUndefined();
  });

  it('converts a second 60 and a half-hour offset in full (they do not share their hour)', () => {
    expect(appleDateToIso('2025-06-30 23:59:60 +0000')).toBe('2025-07-01T00:00:00.000Z');
    expect(appleDateToIso('2025-06-30 10:20:30 +0530')).toBe('2025-06-30T04:50:30.000Z');
  });
});
