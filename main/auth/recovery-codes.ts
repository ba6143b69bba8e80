/**
 * Recovery codes: ten single-use codes shown once at enrolment, for when the phone with the
 * authenticator is lost. Each code carries 50 random bits, so a salted SHA-256 is enough to store it
 * (a slow KDF protects guessable secrets; these are not guessable); only the hashes are kept.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or copied by hand is unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `XXXXX-XXXXX`, 10 characters of 5 bits each. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Upper-cases, drops spaces and dashes, and maps the look-alikes Crockford allows (O→0, I/L→1). */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function hashRecoveryCode(code: string, salt: string): string {
  return createHash('sha256')
    .update(`${salt}:${normalizeRecoveryCode(code)}`)
    .digest('hex');
}

/** The index of the stored hash the code matches, or -1. Compares every hash in constant time. */
export function matchRecoveryCode(code: string, salt: string, hashes: readonly string[]): number {
  const candidate = Buffer.from(hashRecoveryCode(code, salt), 'hex');
  let found = -1;
  hashes.forEach((stored, index) => {
    const buffer = Buffer.from(stored, 'hex');
    if (buffer.length === candidate.length && timingSafeEqual(buffer, candidate) && found === -1)
      found = index;
  });
  return found;
}
