/**
 * The audit trail's anchored head: the last sequence number and hash, signed with HMAC-SHA256
 * (RFC 2104) under a key held like the database key (see DbKeyProvider.loadOrCreateAuditKey) and
 * kept outside the audit table. The chain alone cannot show that its last records were removed or
 * that it was recomputed from an edited record onwards; a head that someone with only the database
 * key cannot sign can.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AuditHead {
  seq: number;
  hash: string;
  /** HMAC-SHA256 over the head, hex. */
  mac: string;
}

function macOf(key: Buffer, seq: number, hash: string): string {
  return createHmac('sha256', key)
    .update(JSON.stringify(['vitals-desk-audit-head-v1', seq, hash]), 'utf8')
    .digest('hex');
}

/** The key that signs the head, and whether this start may sign an unsigned head from scratch. */
export interface AuditHeadKey {
  key: Buffer;
  mayStart: boolean;
}

export function signHead(key: Buffer, seq: number, hash: string): AuditHead {
  return { seq, hash, mac: macOf(key, seq, hash) };
}

export function headSignatureValid(key: Buffer, head: AuditHead): boolean {
  const expected = Buffer.from(macOf(key, head.seq, head.hash), 'hex');
  const given = Buffer.from(head.mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
