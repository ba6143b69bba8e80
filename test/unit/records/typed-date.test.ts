/** Dates typed in the clinic's order: the classic day/month swap is refused with the reason, never guessed. */
import { describe, expect, it } from 'vitest';
import { formatTypedDate, parseTypedDate } from '../../../shared/records/typed-date';

describe('a date typed in the clinic’s order', () => {
  it('reads each order, and a year-first ISO date under any order', () => {
    expect(parseTypedDate('14/03/1962', 'DD/MM/YYYY')).toEqual({ ok: true, iso: '1962-03-14' });
    expect(parseTypedDate('03/14/1962', 'MM/DD/YYYY')).toEqual({ ok: true, iso: '1962-03-14' });
    expect(parseTypedDate('1962-03-14', 'YYYY-MM-DD')).toEqual({ ok: true, iso: '1962-03-14' });
    expect(parseTypedDate('1962-03-14', 'DD/MM/YYYY')).toEqual({ ok: true, iso: '1962-03-14' });
    expect(parseTypedDate(' 5.7.1948 ', 'DD/MM/YYYY')).toEqual({ ok: true, iso: '1948-07-05' });
    expect(parseTypedDate('5-7-1948', 'MM/DD/YYYY')).toEqual({ ok: true, iso: '1948-05-07' });
    expect(parseTypedDate('1962-3-4', 'YYYY-MM-DD')).toEqual({ ok: true, iso: '1962-03-04' });
    // The same digits mean different days under the two orders: the policy decides, not a guess.
    expect(parseTypedDate('04/03/1962', 'DD/MM/YYYY')).toEqual({ ok: true, iso: '1962-03-04' });
    expect(parseTypedDate('04/03/1962', 'MM/DD/YYYY')).toEqual({ ok: true, iso: '1962-04-03' });
  });

  it('refuses a swapped day and month, an impossible day, a short year and another shape, saying why', () => {
    expect(parseTypedDate('03/14/1962', 'DD/MM/YYYY')).toEqual({
      ok: false,
      message: 'There is no month 14. Dates here are typed day/month/year, such as 14/03/1962.',
    });
    expect(parseTypedDate('14/03/1962', 'MM/DD/YYYY')).toEqual({
      ok: false,
      message: 'There is no month 14. Dates here are typed month/day/year, such as 03/14/1962.',
    });
    expect(parseTypedDate('31/02/1962', 'DD/MM/YYYY')).toEqual({
      ok: false,
      message: 'February 1962 has no day 31.',
    });
    expect(parseTypedDate('29/02/1900', 'DD/MM/YYYY')).toMatchObject({ ok: false });
    expect(parseTypedDate('29/02/2000', 'DD/MM/YYYY')).toEqual({ ok: true, iso: '2000-02-29' });
    expect(parseTypedDate('00/01/1962', 'DD/MM/YYYY')).toEqual({
      ok: false,
      message: 'January 1962 has no day 0.',
    });
    expect(parseTypedDate('14/03/62', 'DD/MM/YYYY')).toEqual({
      ok: false,
      message:
        'Type the year in full (1962, not 62): dates here are typed day/month/year, such as 14/03/1962.',
    });
    // Under the ISO order a slashed date is not read at all.
    expect(parseTypedDate('14/03/1962', 'YYYY-MM-DD')).toEqual({
      ok: false,
      message: 'Type the date year-month-day, such as 1962-03-14.',
    });
    expect(parseTypedDate('1962-13-01', 'DD/MM/YYYY')).toMatchObject({ ok: false, message: /no month 13/ });
    expect(parseTypedDate('', 'DD/MM/YYYY')).toEqual({ ok: false, message: 'Enter the date.' });
    expect(parseTypedDate('14 March 1962', 'DD/MM/YYYY')).toMatchObject({ ok: false });
  });

  it('writes a stored date back in the clinic’s order', () => {
    expect(formatTypedDate('1962-03-14', 'DD/MM/YYYY')).toBe('14/03/1962');
    expect(formatTypedDate('1962-03-14', 'MM/DD/YYYY')).toBe('03/14/1962');
    expect(formatTypedDate('1962-03-14', 'YYYY-MM-DD')).toBe('1962-03-14');
    for (const order of ['DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD'] as const)
      expect(parseTypedDate(formatTypedDate('1948-07-05', order), order)).toEqual({
        ok: true,
        iso: '1948-07-05',
      });
  });
});
