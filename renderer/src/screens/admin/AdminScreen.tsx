import { AuditPanel } from './AuditPanel';
import { DatabaseKeyPanel } from './DatabaseKeyPanel';
import { UsersPanel } from './UsersPanel';
import './admin.css';

/** Administration: staff accounts, the audit trail and the database key. Admins see identifiers here, never patient data. */
export function AdminScreen() {
  return (
    <div className="screen">
      <h1>Administration</h1>
      <UsersPanel />
      <AuditPanel />
      <DatabaseKeyPanel />
    </div>
  );
}
