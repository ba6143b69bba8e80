import { AuditPanel } from './AuditPanel';
import { UsersPanel } from './UsersPanel';
import './admin.css';

/** Administration: staff accounts and the audit trail. Admins see identifiers here, never patient data. */
export function AdminScreen() {
  return (
    <div className="screen">
      <h1>Administration</h1>
      <UsersPanel />
      <AuditPanel />
    </div>
  );
}
