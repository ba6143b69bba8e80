/**
 * A date typed in the clinic's order (IT's policy `dateOrder`): read strictly, so "03/14/1962" under
 * DD/MM/YYYY is refused with the reason rather than guessed, and a real ISO date (year first, never
 * ambiguous) is taken under any order. Pure; the registration and correction forms use it.
 */
import { MONTHS } from './date-words';
import { daysInMonth } from './calendar';

export const DATE_ORDERS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];
export const DEFAULT_DATE_ORDER: DateOrder = 'YYYY-MM-DD';

export type TypedDate = { ok: true; iso: string } | { ok: false; message: string };

const ORDER_WORDS: Record<DateOrder, string> = {
  'YYYY-MM-DD': 'year-month-day, such as 1962-03-14',
  'DD/MM/YYYY': 'day/month/year, such as 14/03/1962',
  'MM/DD/YYYY': 'month/day/year, such as 03/14/1962',
};

/** How the clinic's order is said to the nurse in a message. */
export function dateOrderWords(order: DateOrder): string {
  return ORDER_WORDS[order];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function checkedDate(year: number, month: number, day: number, order: DateOrder): TypedDate {
  if (month < 1 || month > 12)
    return {
      ok: false,
      message: `There is no month ${month}. Dates here are typed ${dateOrderWords(order)}.`,
    };
  if (day < 1 || day > daysInMonth(year, month))
    return { ok: false, message: `${MONTHS[month - 1]} ${year} has no day ${day}.` };
  return { ok: true, iso: `${pad(year, 4)}-${pad(month)}-${pad(day)}` };
}

/** Reads `text` in `order` (or as an ISO date): the ISO date, or a sentence saying what is wrong. */
export function parseTypedDate(text: string, order: DateOrder): TypedDate {
  const typed = text.trim();
  if (!typed) return { ok: false, message: 'Enter the date.' };
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(typed);
  if (iso) return checkedDate(Number(iso[1]), Number(iso[2]), Number(iso[3]), order);
  if (order !== 'YYYY-MM-DD') {
    const parts = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(typed);
    if (parts) {
      if (parts[3]!.length !== 4)
        return {
          ok: false,
          message: `Type the year in full (1962, not 62): dates here are typed ${dateOrderWords(order)}.`,
        };
      const [first, second, year] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
      return order === 'DD/MM/YYYY'
        ? checkedDate(year, second, first, order)
        : checkedDate(year, first, second, order);
    }
  }
  return { ok: false, message: `Type the date ${dateOrderWords(order)}.` };
}

/** An ISO date written in the clinic's order: "1962-03-14" → "14/03/1962" under DD/MM/YYYY. */
export function formatTypedDate(iso: string, order: DateOrder): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const [, y, m, d] = match;
  if (order === 'DD/MM/YYYY') return `${d}/${m}/${y}`;
  if (order === 'MM/DD/YYYY') return `${m}/${d}/${y}`;
  return iso;
}
