/**
 * The last check every record passes before it is staged, whatever reader made it: a file built to
 * harm (or a reader's oversight) must not put a value no person can have, or text that hides what it
 * says, into a chart. Readers report their own faults with a line; this only leaves such a record out.
 */
import type { HomeRecord } from '../../shared/home-data/record';
import { PLAUSIBLE } from './formats/measure-units';

/** A diastolic pressure a person can have, in mmHg (every reader's own range lies within it). */
const DIASTOLIC_PLAUSIBLE: readonly [number, number] = [20, 300];

/** Whether the record's value (and diastolic) is a finite number within what a person can have. */
export function plausibleValue(r: HomeRecord): boolean {
  const [low, high] = PLAUSIBLE[r.measure];
  // Written so that NaN fails every comparison; Infinity is outside every range.
  if (!(r.value >= low && r.value <= high)) return false;
  if (r.diastolic === undefined) return true;
  return r.diastolic >= DIASTOLIC_PLAUSIBLE[0] && r.diastolic <= DIASTOLIC_PLAUSIBLE[1];
}

/**
 * Control characters (NUL, escape, line breaks) and the Unicode marks that reverse or isolate text
 * direction: a source or device name is shown, printed and sent as one line of plain text, and such
 * characters would hide or reorder what it says.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HIDING = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text without characters that hide or reorder it (each becomes a space, then runs are trimmed). */
export function plainText(text: string): string {
  HIDING.lastIndex = 0;
  if (!HIDING.test(text)) return text;
  return text.replace(HIDING, ' ').replace(/ {2,}/g, ' ').trim();
}

/**
 * plainText, cut to `maxChars` (what the shared record schema allows), for the names of a file's
 * records, which repeat (one source writes thousands of records): the last name asked for is answered
 * without scanning it again.
 */
export function plainTextCache(maxChars: number): (text: string) => string {
  let lastIn = '';
  let lastOut = '';
  return (text) => {
    if (text !== lastIn) {
      lastIn = text;
      const plain = plainText(text);
      lastOut = plain.length > maxChars ? plain.slice(0, maxChars) : plain;
    }
    return lastOut;
  };
}

/** The longest identity a record may have: the shared record schema's, far above any export's. */
export const MAX_RECORD_ID_CHARS = 512;
