/** A calendar date in words, so a typed date is checked by reading it: "14 March 1962". */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** "1962-03-14" → "14 March 1962"; undefined for anything that is not a real YYYY-MM-DD date. */
export function dateInWords(iso: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(`${y}-${m}-${d}`)) return undefined;
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${Number(y)}`;
}
