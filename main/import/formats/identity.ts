/** Identities of source records that have none of their own: a hash of what the record is. */
import { createHash } from 'node:crypto';

/** A short, stable id: the same parts in a later export give the same id. */
export function contentId(prefix: string, parts: readonly (string | number | undefined)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part ?? ''}\u001f`);
  return `${prefix}:${hash.digest('base64url').slice(0, 32)}`;
}
