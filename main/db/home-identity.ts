/**
 * The 53-bit hash of a home record's source record id (two 32-bit FNV-1a variants): a safe integer for
 * SQLite. It finds duplicates in an import's staging file and indexes stored identities (migration 056);
 * equal hashes are always compared in full, so a collision never merges two records.
 */
export function identityHash(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 11) * 0x100000000 + (b >>> 0);
}
