/**
 * The fault the audit tests stage: the audit table refuses every insert (as a full disk or an I/O error
 * would), through a temporary trigger on this connection only. Returns the way to let it write again.
 */
import type { Database } from '../../main/db/connection';

export function refuseAuditRecords(db: Database): () => void {
  db.exec(`CREATE TEMP TRIGGER audit_refused BEFORE INSERT ON main.audit_log
    BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
  return () => db.exec('DROP TRIGGER temp.audit_refused');
}
