/**
 * Free text a person typed (names, phone, reasons): stored in Unicode NFC so "é" typed two ways is one
 * name, and refused when it hides something: control characters (escape sequences), bidirectional
 * overrides that make "ABC" display as "CBA", or nothing but invisible characters.
 */
import { z } from 'zod';

// C0 and C1 controls (tab and newline included: none of these fields is multi-line) and DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** Embeddings, overrides and isolates (U+202A–202E, U+2066–2069) and the direction marks. */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;
/** Format characters, separators and blank-looking letters (Hangul fillers, braille blank). */
const INVISIBLE = /[\p{Cf}\p{Z}\s\u115f\u1160\u3164\uffa0\u2800]|\u034f/gu;

export const SAFE_TEXT_MESSAGES = {
  control: 'Remove the control characters (such as escape or tab) from this field.',
  bidi: 'Remove the hidden text-direction characters from this field.',
  invisible: 'This field holds only invisible characters: type the value again.',
} as const;

/** Why `text` is refused, or null when it is fine. */
export function unsafeTextReason(text: string): string | null {
  if (CONTROL.test(text)) return SAFE_TEXT_MESSAGES.control;
  if (BIDI.test(text)) return SAFE_TEXT_MESSAGES.bidi;
  if (text.length > 0 && text.replace(INVISIBLE, '').length === 0) return SAFE_TEXT_MESSAGES.invisible;
  return null;
}

/** NFC-normalised, trimmed text that hides nothing; `inner` then checks length and form. */
export function safeText<T extends z.ZodType<string, string>>(inner: T) {
  return z
    .string()
    .transform((v) => v.normalize('NFC'))
    .superRefine((v, ctx) => {
      const reason = unsafeTextReason(v);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    })
    .pipe(inner);
}
