/**
 * Every home value is stored at its UTC instant, as toISOString() writes it. A time already written that
 * way is kept without a parse per record; any other (an offset, an impossible day that Date rolls over,
 * an hour of 24) gives exactly what parsing and formatting gives, and an unreadable one gives nothing.
 */
import { describe, expect, it } from 'vitest';
import { utcInstant } from '../../../main/import/pipeline';

const viaDate = (text: string): string | undefined => {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
};

describe('utcInstant', () => {
  it.each([
    ['2026-03-01T08:00:00.000Z', '2026-03-01T08:00:00.000Z'],
    ['2028-02-29T23:59:59.999Z', '2028-02-29T23:59:59.999Z'],
    ['2026-03-01T09:00:00+01:00', '2026-03-01T08:00:00.000Z'],
    ['2026-03-01T08:00:00Z', '2026-03-01T08:00:00.000Z'],
    ['2026-02-29T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['2026-04-31T00:00:00.000Z', '2026-05-01T00:00:00.000Z'],
    ['2026-01-01T24:00:00.000Z', '2026-01-02T00:00:00.000Z'],
    ['2026-00-10T00:00:00.000Z', undefined],
    ['2026-13-01T00:00:00.000Z', undefined],
    ['2026-01-00T00:00:00.000Z', undefined],
    ['2026-01-01T23:59:60.000Z', undefined],
    ['yesterday', undefined],
  ])('%s → %s, as parsing and formatting give', (text, expected) => {
    expect(utcInstant(text)).toBe(expected);
    expect(utcInstant(text)).toBe(viaDate(text));
  });
});
