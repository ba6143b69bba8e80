/**
 * Whether a name an export prints (an Apple Watch ECG file's "Name" line) is the chart's patient, read
 * leniently: case, accents, punctuation and the order of given and family names do not matter, nor a
 * middle name or second family name one side leaves out. Used only to warn before an import; the name
 * itself is never stored.
 */

import { foldAccents } from '../records/fold';

/** Letters NFD does not take apart into a base letter and a mark. */
const FOLD: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

/** "García-López, José" → ["garcia", "lopez", "jose"]. */
export function nameWords(name: string): string[] {
  return foldAccents(name)
    .replace(/[ßæœøđðłþı]/g, (c) => FOLD[c] ?? c)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * The same person when at least one of the chart's given names and one of its family names appear among
 * the printed name's words (in any order). A printed name with no words compares as unknown: the same.
 */
export function samePersonName(printed: string, chart: { given: string; family: string }): boolean {
  const words = new Set(nameWords(printed));
  if (words.size === 0) return true;
  const given = nameWords(chart.given);
  const family = nameWords(chart.family);
  return given.some((w) => words.has(w)) && family.some((w) => words.has(w));
}
