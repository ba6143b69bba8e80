/**
 * The audit trail in the encrypted database: append in one immediate transaction (read the head,
 * chain, insert, move the signed head), so two writers can never both chain onto the same record and
 * the signed head (see ./head) always names the last record the app wrote.
 */
import type { Database } from '../db/connection';
import type { AuditFilter } from '../../shared/ipc/channels/audit';
import {
  chainRecord,
  GENESIS_HASH,
  verifyChain,
  type AuditEntry,
  type AuditRecord,
  type ChainVerdict,
} from './chain';
import { headSignatureValid, signHead, type AuditHead, type AuditHeadKey } from './head';

/** The head row's mark before its first signature (set by the migration that adds it). */
const UNSIGNED = 'unsigned';

interface AuditRow {
  seq: number;
  at: string;
  actor_user_id: string | null;
  actor_role: string | null;
  workstation: string;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  patient_id: string | null;
  outcome: AuditRecord['outcome'];
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export function recordFromRow(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    at: row.at,
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    workstation: row.workstation,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    patientId: row.patient_id,
    outcome: row.outcome,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface AuditStore {
  append(entry: AuditEntry): AuditRecord;
  /** Several records in one transaction: all are written or none (one per patient a search returned). */
  appendAll(entries: readonly AuditEntry[]): AuditRecord[];
  list(options: { filter: StoreFilter; beforeSeq?: number; limit: number }): {
    records: AuditRecord[];
    hasMore: boolean;
  };
  /** Every record matching the filter, oldest first (exports). */
  all(filter: StoreFilter): AuditRecord[];
  /** The signed head as stored (exports carry it), undefined when missing or not yet signed. */
  head(): AuditHead | undefined;
  /** Records after `seq`, oldest first, at most `limit` (sending the trail to the FHIR server). */
  since(seq: number, limit: number): AuditRecord[];
  /** The record with this seq, if the trail holds it. */
  bySeq(seq: number): AuditRecord | undefined;
  /** Whether this head was signed with this trail's key (a copy held elsewhere names it). */
  isSignedHead(head: AuditHead): boolean;
  /** Checks the chain, the head's signature, and that the chain ends exactly at the head. */
  verify(): ChainVerdict;
}

/** The filter with a patient by MRN or name already turned into the ids it names (main/ipc/handlers/audit). */
export type StoreFilter = Omit<AuditFilter, 'patient'> & { patientIds?: readonly string[] };

function whereClause(filter: StoreFilter, beforeSeq?: number): { sql: string; params: unknown[] } {
  const conditions: [string, unknown][] = [];
  if (filter.patientIds) {
    // No id (no patient by that MRN or name) matches nothing rather than everything.
    const ids = filter.patientIds.length ? filter.patientIds : [''];
    conditions.push([`patient_id IN (${ids.map(() => '?').join(', ')})`, ids]);
  }
  if (filter.from) conditions.push(['at >= ?', new Date(filter.from).toISOString()]);
  if (filter.to) conditions.push(['at <= ?', new Date(filter.to).toISOString()]);
  if (filter.actorUserId) conditions.push(['actor_user_id = ?', filter.actorUserId]);
  if (filter.patientId) conditions.push(['patient_id = ?', filter.patientId]);
  if (filter.action) conditions.push(['action = ?', filter.action]);
  if (filter.outcome) conditions.push(['outcome = ?', filter.outcome]);
  if (beforeSeq !== undefined) conditions.push(['seq < ?', beforeSeq]);
  return {
    sql: conditions.length ? `WHERE ${conditions.map(([c]) => c).join(' AND ')}` : '',
    params: conditions.flatMap(([, v]) => (Array.isArray(v) ? v : [v])),
  };
}

/**
 * `head.key` signs the head (DbKeyProvider.loadOrCreateAuditKey): the trail's records are in the
 * database, the key that vouches for where it ends is not. `head.mayStart` lets an unsigned head be
 * signed where the trail stands (a new file, or the first start with a head table and its key);
 * otherwise an unsigned head stays unsigned and verify reports it.
 */
export function createAuditStore(db: Database, head: AuditHeadKey): AuditStore {
  const headKey = head.key;
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(`INSERT INTO audit_log
    (seq, at, actor_user_id, actor_role, workstation, action, resource_type, resource_id, patient_id,
     outcome, detail, prev_hash, hash)
    VALUES (@seq, @at, @actorUserId, @actorRole, @workstation, @action, @resourceType, @resourceId,
     @patientId, @outcome, @detail, @prevHash, @hash)`);
  const readHead = db.prepare('SELECT seq, hash, mac FROM audit_head WHERE id = 1');
  const sinceStmt = db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');
  const bySeqStmt = db.prepare('SELECT * FROM audit_log WHERE seq = ?');
  const moveHead = db.prepare('UPDATE audit_head SET seq = @seq, hash = @hash, mac = @mac WHERE id = 1');

  // First start with the head table: sign where the trail stands now (genesis for a new trail).
  db.transaction(() => {
    const stored = readHead.get() as AuditHead | undefined;
    if (!head.mayStart || stored?.mac !== UNSIGNED) return;
    const end = last.get() as { seq: number; hash: string } | undefined;
    moveHead.run(signHead(headKey, end?.seq ?? 0, end?.hash ?? GENESIS_HASH));
  }).immediate();

  const append = db.transaction((entry: AuditEntry): AuditRecord => {
    const previous = last.get() as { seq: number; hash: string } | undefined;
    const record = chainRecord(entry, previous ?? null);
    insert.run(record);
    const stored = readHead.get() as AuditHead | undefined;
    // Only a valid head at the record before is moved on: after tampering (a missing, forged or
    // bypassed head) the head stays where it was, so verify keeps reporting it rather than the
    // app signing over it. The record itself is still kept.
    if (
      stored &&
      stored.seq === (previous?.seq ?? 0) &&
      stored.hash === (previous?.hash ?? GENESIS_HASH) &&
      headSignatureValid(headKey, stored)
    )
      moveHead.run(signHead(headKey, record.seq, record.hash));
    return record;
  });
  // Nested transactions become savepoints: one commit (and one fsync) for the lot.
  const appendAll = db.transaction((entries: readonly AuditEntry[]): AuditRecord[] =>
    entries.map((entry) => append(entry)),
  );

  return {
    append: (entry) => append.immediate(entry),
    appendAll: (entries) => appendAll.immediate(entries),
    list({ filter, beforeSeq, limit }) {
      const where = whereClause(filter, beforeSeq);
      const rows = db
        .prepare(`SELECT * FROM audit_log ${where.sql} ORDER BY seq DESC LIMIT ?`)
        .all(...where.params, limit + 1) as AuditRow[];
      return { records: rows.slice(0, limit).map(recordFromRow), hasMore: rows.length > limit };
    },
    all(filter) {
      const where = whereClause(filter);
      const rows = db
        .prepare(`SELECT * FROM audit_log ${where.sql} ORDER BY seq`)
        .all(...where.params) as AuditRow[];
      return rows.map(recordFromRow);
    },
    head() {
      const stored = readHead.get() as AuditHead | undefined;
      return stored && stored.mac !== UNSIGNED ? stored : undefined;
    },
    since: (seq, limit) => (sinceStmt.all(seq, limit) as AuditRow[]).map(recordFromRow),
    bySeq(seq) {
      const row = bySeqStmt.get(seq) as AuditRow | undefined;
      return row ? recordFromRow(row) : undefined;
    },
    isSignedHead: (candidate) =>
      /^[0-9a-f]{64}$/.test(candidate.mac) && headSignatureValid(headKey, candidate),
    verify() {
      const stored = readHead.get() as AuditHead | undefined;
      const count = Number(db.prepare('SELECT count(*) FROM audit_log').pluck().get());
      if (!stored || stored.mac === UNSIGNED || !headSignatureValid(headKey, stored))
        return { ok: false, count, firstBadSeq: stored?.seq ?? 0, problem: 'head-invalid' };
      // Streams the rows: the trail grows for years and need not fit in memory at once.
      const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>;
      function* records() {
        for (const row of rows) yield recordFromRow(row);
      }
      return verifyChain(records(), stored);
    },
  };
}
