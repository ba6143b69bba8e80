import { describe, expect, it } from 'vitest';
import { clampDay, monthWeeks, moveDay, placePopup } from '../../../renderer/src/ui/calendar';

describe('birth-date calendar', () => {
  it('lays a month out in weeks from Monday', () => {
    // 1 July 1948 was a Thursday.
    const weeks = monthWeeks(1948, 7);
    expect(weeks[0]).toEqual([null, null, null, '1948-07-01', '1948-07-02', '1948-07-03', '1948-07-04']);
    expect(weeks.at(-1)).toEqual([
      '1948-07-26',
      '1948-07-27',
      '1948-07-28',
      '1948-07-29',
      '1948-07-30',
      '1948-07-31',
      null,
    ]);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    const lastDay = (year: number, month: number) => monthWeeks(year, month).flat().filter(Boolean).at(-1);
    expect(lastDay(2024, 2)).toBe('2024-02-29');
    expect(lastDay(1900, 2)).toBe('1900-02-28');
  });

  it('moves by days across months and by months keeping the day where it exists', () => {
    expect(moveDay('1948-07-31', { days: 1 })).toBe('1948-08-01');
    expect(moveDay('1948-03-01', { days: -7 })).toBe('1948-02-23');
    expect(moveDay('2024-01-31', { months: 1 })).toBe('2024-02-29');
    expect(moveDay('2024-01-15', { months: -1 })).toBe('2023-12-15');
    expect(moveDay('1948-07-13', { months: -12 })).toBe('1947-07-13');
    expect(clampDay('2099-01-01', '1900-01-01', '2026-12-01')).toBe('2026-12-01');
    expect(clampDay('1899-12-31', '1900-01-01', '2026-12-01')).toBe('1900-01-01');
  });

  it('opens below a field when it fits, above when not, and inside the window otherwise', () => {
    const size = { width: 320, height: 340 };
    const screen = { width: 1366, height: 768 };
    expect(placePopup({ top: 200, left: 100, width: 40, height: 40 }, size, screen)).toEqual({
      top: 244,
      left: 100,
      side: 'below',
    });
    // A field 120 px above the bottom of a 768 px window: above it.
    expect(placePopup({ top: 608, left: 100, width: 40, height: 40 }, size, screen)).toEqual({
      top: 264,
      left: 100,
      side: 'above',
    });
    // Near the right edge: moved left to stay whole.
    expect(placePopup({ top: 200, left: 1300, width: 40, height: 40 }, size, screen).left).toBe(1046);
    // A window too short either way: kept on screen, at its bottom.
    expect(
      placePopup({ top: 300, left: 0, width: 40, height: 40 }, size, { width: 800, height: 500 }),
    ).toEqual({
      top: 160,
      left: 0,
      side: 'below',
    });
  });
});
