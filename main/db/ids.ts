/**
 * Record ids: UUID version 7 (RFC 9562, section 5.7): 48-bit Unix time in milliseconds, then random
 * bits. Time-ordered ids append to the right edge of the primary-key B-tree instead of landing on
 * random pages, so a batch of inserts touches (and encrypts) far fewer pages than random UUIDs would.
 */
import { randomBytes } from 'node:crypto';

export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  // 48-bit big-endian millisecond timestamp.
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
