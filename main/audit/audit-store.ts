/**
 * The audit trail in the encrypted database: append in one immediate transaction (read the head,
 * chain, insert), so two writers can never both chain onto the same record.
 */
import type { Database } from '../db/connection';
import type { AuditFilter } from '../../shared/ipc/channels/audit';
import { chainRecord, verifyChain, type AuditEntry, type AuditRecord, type ChainVerdict } from './chain';

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
  list(options: { filter: AuditFilter; beforeSeq?: number; limit: number }): {
    records: AuditRecord[];
    hasMore: boolean;
  };
  /** Every record matching the filter, oldest first (exports). */
  all(filter: AuditFilter): AuditRecord[];
  verify(): ChainVerdict;
}

function whereClause(filter: AuditFilter, beforeSeq?: number): { sql: string; params: unknown[] } {
  const conditions: [string, unknown][] = [];
  if (filter.from) conditions.push(['at >= ?', new Date(filter.from).toISOString()]);
  if (filter.to) conditions.push(['at <= ?', new Date(filter.to).toISOString()]);
  if (filter.actorUserId) conditions.push(['actor_user_id = ?', filter.actorUserId]);
  if (filter.patientId) conditions.push(['patient_id = ?', filter.patientId]);
  if (filter.action) conditions.push(['action = ?', filter.action]);
  if (filter.outcome) conditions.push(['outcome = ?', filter.outcome]);
  if (beforeSeq !== undefined) conditions.push(['seq < ?', beforeSeq]);
  return {
    sql: conditions.length ? `WHERE ${conditions.map(([c]) => c).join(' AND ')}` : '',
    params: conditions.map(([, v]) => v),
  };
}

export function createAuditStore(db: Database): AuditStore {
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(`INSERT INTO audit_log
    (seq, at, actor_user_id, actor_role, workstation, action, resource_type, resource_id, patient_id,
     outcome, detail, prev_hash, hash)
    VALUES (@seq, @at, @actorUserId, @actorRole, @workstation, @action, @resourceType, @resourceId,
     @patientId, @outcome, @detail, @prevHash, @hash)`);
  const append = db.transaction((entry: AuditEntry): AuditRecord => {
    const previous = head.get() as { seq: number; hash: string } | undefined;
    const record = chainRecord(entry, previous ?? null);
    insert.run(record);
    return record;
  });

  return {
    append: (entry) => append.immediate(entry),
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
    verify() {
      // Streams the rows: the trail grows for years and need not fit in memory at once.
      const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>;
      function* records() {
        for (const row of rows) yield recordFromRow(row);
      }
      return verifyChain(records());
    },
  };
}
