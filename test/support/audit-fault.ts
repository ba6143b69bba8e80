/**
 * The fault the audit tests stage: the audit table refuses every insert (as a full disk or an I/O error
 * would), through a trigger: a temporary one on this connection only, or with `everyConnection` one in
 * the file that the import worker's own connection meets too. Returns the way to let it write again.
 *
 * `actions` narrows the refusal to records of those actions (a sign-out's record, not the reset's).
 * `whenRefused` is called, on this connection only, from inside each refused insert with the record's
 * action: what a test does there happens at the very moment the trail refuses a change's record.
 */
import type { Database } from '../../main/db/connection';

export function refuseAuditRecords(
  db: Database,
  options: {
    everyConnection?: boolean;
    actions?: readonly string[];
    whenRefused?: (action: string) => void;
  } = {},
): () => void {
  const scope = options.everyConnection ? '' : 'TEMP ';
  const only = options.actions
    ? `WHEN NEW.action IN (${options.actions.map((a) => `'${a.replace(/'/g, "''")}'`).join(', ')})`
    : '';
  const { whenRefused } = options;
  if (whenRefused)
    db.function('audit_refused_hook', (action: unknown) => {
      whenRefused(String(action));
      return null;
    });
  db.exec(`CREATE ${scope}TRIGGER audit_refused BEFORE INSERT ON main.audit_log ${only}
    BEGIN ${whenRefused ? 'SELECT audit_refused_hook(NEW.action);' : ''}
    SELECT RAISE(ABORT, 'disk I/O error'); END`);
  return () => db.exec(`DROP TRIGGER ${options.everyConnection ? 'main' : 'temp'}.audit_refused`);
}
