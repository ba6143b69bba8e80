/**
 * Whether a new password may be used: long enough (the shared schema: 12 characters) and not one of
 * the passwords attackers try first (NIST SP 800-63B §5.1.1.2: compare against a list of commonly used
 * passwords). A list entry with only digits or symbols added around it, or said twice, is as easy to
 * guess as the entry itself; so is one character repeated. Pure.
 */
import { AppError } from '../../shared/ipc/errors';
import { COMMON_PASSWORDS_TEXT } from './common-passwords.data';

let common: ReadonlySet<string> | undefined;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(COMMON_PASSWORDS_TEXT.split('\n'));
  return common;
}

export const COMMON_PASSWORD_MESSAGE =
  'That password is one of the most common ones, which attackers try first. Please choose another (a few unrelated words work well).';

/** The shortest list word that counts when padded with digits or symbols ("monkey2024!"). */
const MIN_PADDED_WORD = 4;

/** True when `password` is on the bundled list of common passwords, or an easy variation of one. */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const text = password.normalize('NFKC').toLowerCase();
  if (list.has(text)) return true;
  // One character over and over: "aaaaaaaaaaaa", "111111111111".
  if (/^(.)\1*$/su.test(text)) return true;
  // A list entry with only digits, spaces or symbols before or after it: "password1234", "!!qwerty2024".
  const core = text.replace(/^[\p{N}\p{P}\p{S}\p{Z}]+|[\p{N}\p{P}\p{S}\p{Z}]+$/gu, '');
  if (core !== text && core.length >= MIN_PADDED_WORD && list.has(core)) return true;
  // A list entry said twice: "monkeymonkey".
  const half = text.length / 2;
  if (Number.isInteger(half) && text.slice(0, half) === text.slice(half) && list.has(text.slice(0, half)))
    return true;
  return false;
}

/** Throws BAD_REQUEST, with the message on the form field `field`, when the new password is a common one. */
export function refuseCommonPassword(password: string, field: string): void {
  if (!isCommonPassword(password)) return;
  throw new AppError('BAD_REQUEST', COMMON_PASSWORD_MESSAGE, [
    { path: field, message: COMMON_PASSWORD_MESSAGE },
  ]);
}
