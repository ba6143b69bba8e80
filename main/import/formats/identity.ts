/** Identities of source records that have none of their own: a hash of what the record is. */
import { hash } from 'node:crypto';

/**
 * A short, stable id: the same parts in a later export give the same id. The SHA-256 of each part
 * followed by U+001F, in one call (an export holds hundreds of thousands of records; a Hash object per
 * record cost more than the hashing), the same digest as feeding the parts one by one.
 */
export function contentId(prefix: string, parts: readonly (string | number | undefined)[]): string {
  let text = '';
  for (const part of parts) text += `${part ?? ''}\u001f`;
  return `${prefix}:${hash('sha256', text, 'base64url').slice(0, 32)}`;
}
