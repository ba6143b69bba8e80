/**
 * The hash chain over audit records. Each record's hash is SHA-256 over a canonical serialization of
 * its fields including the previous record's hash, so editing a record breaks its own hash, and
 * deleting or moving one breaks the link of the record after it (the construction of a hash chain as
 * in RFC 6962 §2.1's Merkle audit log, kept linear here because the trail is read in order).
 */
import { createHash } from 'node:crypto';
import type { AuditOutcome } from '../../shared/ipc/channels/audit';

export const GENESIS_HASH = '0'.repeat(64);

/** What a caller supplies; seq, prev_hash and hash are filled in by the store. */
export interface AuditEntry {
  at: string;
  actorUserId: string | null;
  actorRole: string | null;
  workstation: string;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  patientId: string | null;
  outcome: AuditOutcome;
  /** A non-PHI code (an error code, the role given), never a clinical value or a name. */
  detail: string | null;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * A JSON array in a fixed field order: unambiguous (strings are quoted and escaped, null is distinct
 * from "null") and independent of object key order.
 */
export function canonicalAuditBytes(record: Omit<AuditRecord, 'hash'>): string {
  return JSON.stringify([
    'vitals-desk-audit-v1',
    record.seq,
    record.at,
    record.actorUserId,
    record.actorRole,
    record.workstation,
    record.action,
    record.resourceType,
    record.resourceId,
    record.patientId,
    record.outcome,
    record.detail,
    record.prevHash,
  ]);
}

export function auditHash(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalAuditBytes(record), 'utf8').digest('hex');
}

/** The record that follows `previous` (null for the first one). */
export function chainRecord(
  entry: AuditEntry,
  previous: Pick<AuditRecord, 'seq' | 'hash'> | null,
): AuditRecord {
  const base = { ...entry, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...base, hash: auditHash(base) };
}

export type ChainProblem =
  /** The record's fields no longer match its hash: it was edited. */
  | 'edited'
  /** The record does not point at the record before it: one was removed or the order changed. */
  | 'broken-link'
  /** A sequence number is missing or out of order. */
  | 'gap'
  /** The trail ends before the anchored head: its last records were removed. */
  | 'truncated'
  /** The trail does not end at the anchored head: it was recomputed, replaced or added to outside the app. */
  | 'head-mismatch'
  /** The anchored head is missing or its signature is not valid: it was forged or removed. */
  | 'head-invalid';

export type ChainVerdict =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; firstBadSeq: number; problem: ChainProblem };

/**
 * Checks a whole trail, in the order stored (by seq), and that it ends exactly at `anchor` (the
 * signed head kept outside the table, see ./head) when one is given. Reports the first problem:
 * everything before it is intact. Without an anchor a removed tail cannot be seen.
 */
export function verifyChain(
  records: Iterable<AuditRecord>,
  anchor?: Pick<AuditRecord, 'seq' | 'hash'>,
): ChainVerdict {
  let previous: AuditRecord | null = null;
  let count = 0;
  let hashAtAnchor: string | undefined = anchor?.seq === 0 ? GENESIS_HASH : undefined;
  for (const record of records) {
    count++;
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (record.seq !== expectedSeq) return { ok: false, count, firstBadSeq: record.seq, problem: 'gap' };
    const { hash, ...rest } = record;
    if (auditHash(rest) !== hash) return { ok: false, count, firstBadSeq: record.seq, problem: 'edited' };
    if (record.prevHash !== (previous?.hash ?? GENESIS_HASH))
      return { ok: false, count, firstBadSeq: record.seq, problem: 'broken-link' };
    if (anchor && record.seq === anchor.seq) hashAtAnchor = record.hash;
    previous = record;
  }
  const lastSeq = previous?.seq ?? 0;
  if (anchor) {
    if (lastSeq < anchor.seq) return { ok: false, count, firstBadSeq: lastSeq + 1, problem: 'truncated' };
    if (hashAtAnchor !== anchor.hash)
      return { ok: false, count, firstBadSeq: Math.max(anchor.seq, 1), problem: 'head-mismatch' };
    if (lastSeq > anchor.seq)
      return { ok: false, count, firstBadSeq: anchor.seq + 1, problem: 'head-mismatch' };
  }
  return { ok: true, count, headHash: previous?.hash ?? GENESIS_HASH };
}
