/**
 * The fault the audit tests stage: the audit table refuses every insert (as a full disk or an I/O error
 * would), through a trigger: a temporary one on this connection only, or with `everyConnection` one in
 * the file that the import worker's own connection meets too. Returns the way to let it write again.
 */
import type { Database } from '../../main/db/connection';

export function refuseAuditRecords(db: Database, options: { everyConnection?: boolean } = {}): () => void {
  const scope = options.everyConnection ? '' : 'TEMP ';
  db.exec(`CREATE ${scope}TRIGGER audit_refused BEFORE INSERT ON main.audit_log
    BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
  return () => db.exec(`DROP TRIGGER ${options.everyConnection ? 'main' : 'temp'}.audit_refused`);
}
