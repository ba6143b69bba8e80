/** Pure parts of the date picker: the days of a month as weeks, moving a day, and where the popup fits. */

import { daysInMonth } from '../../../shared/records/calendar';

/** An ISO calendar date, YYYY-MM-DD. */
export type IsoDay = string;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function isoOf(year: number, month: number, day: number): IsoDay {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function partsOf(iso: IsoDay): { year: number; month: number; day: number } {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** The month's days as weeks starting on Monday; null pads the first and last week. */
export function monthWeeks(year: number, month: number): (IsoDay | null)[][] {
  const first = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
  const cells: (IsoDay | null)[] = Array.from({ length: first }, () => null);
  for (let d = 1; d <= daysInMonth(year, month); d++) cells.push(isoOf(year, month, d));
  while (cells.length % 7) cells.push(null);
  const weeks: (IsoDay | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** `iso` moved by days, or by months keeping the day where the month has it (31 Jan + 1 month = 28/29 Feb). */
export function moveDay(iso: IsoDay, by: { days?: number; months?: number }): IsoDay {
  const { year, month, day } = partsOf(iso);
  if (by.months) {
    const index = year * 12 + (month - 1) + by.months;
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    return isoOf(y, m, Math.min(day, daysInMonth(y, m)));
  }
  const at = new Date(Date.UTC(year, month - 1, day + (by.days ?? 0)));
  return isoOf(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate());
}

/** `iso` kept within [min, max] (ISO dates compare as strings). */
export function clampDay(iso: IsoDay, min: IsoDay, max: IsoDay): IsoDay {
  return iso < min ? min : iso > max ? max : iso;
}

export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

/**
 * Where a popup of `size` goes for a field at `anchor`, inside a `viewport` (all in CSS pixels): below
 * the field when it fits there, else above it when it fits there, else wherever on screen it is seen
 * whole; left-aligned with the field unless that would cross the right edge.
 */
export function placePopup(
  anchor: Box,
  size: { width: number; height: number },
  viewport: { width: number; height: number },
  gap = 4,
): { top: number; left: number; side: 'below' | 'above' } {
  const below = anchor.top + anchor.height + gap;
  const above = anchor.top - gap - size.height;
  const maxTop = Math.max(0, viewport.height - size.height);
  const left = Math.max(0, Math.min(anchor.left, viewport.width - size.width));
  if (below + size.height <= viewport.height) return { top: below, left, side: 'below' };
  if (above >= 0) return { top: above, left, side: 'above' };
  return { top: Math.min(below, maxTop), left, side: 'below' };
}
