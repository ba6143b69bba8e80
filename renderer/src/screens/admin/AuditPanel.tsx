import { useState, type FormEvent } from 'react';
import type { AuditFilter, AuditServerComparison, AuditVerdict } from '../../../../shared/ipc/channels/audit';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { useLoad } from '../../ui/useLoad';

const OUTCOMES = ['success', 'failure', 'denied'] as const;

/** The audit trail: filter, page, verify the hash chain, export as CSV or FHIR AuditEvent. */
/** What each verify problem means, in the words an administrator reads. */
const VERDICT_PROBLEM: Record<Extract<AuditVerdict, { ok: false }>['problem'], string> = {
  edited: 'a record was edited',
  gap: 'a record is missing',
  'broken-link': 'records were removed or reordered',
  truncated: 'the last records were removed',
  'head-mismatch': 'the trail was rewritten or added to after its signed end',
  'head-invalid': 'its signed end is missing or was forged',
};

/** What each difference from the server's copy means. */
const SERVER_PROBLEM: Record<Extract<AuditServerComparison, { ok: false }>['problem'], string> = {
  truncated: 'the server holds record {seq}, which this trail no longer has: records were removed here',
  rewritten: 'record {seq} here differs from the copy the server holds: it was changed after it was sent',
  'head-forged': "the server holds a signed end at record {seq} that this trail's key never signed",
};

/** The comparison as a sentence for the administrator. */
export function serverComparisonText(c: AuditServerComparison): string {
  if (c.ok)
    return c.compared === 0
      ? 'The server holds no copy of this trail yet: it is sent with the next sync.'
      : `The server's copy agrees: its latest ${c.compared} records (up to record ${c.serverSeq}) are the same here.`;
  return `The audit trail differs from the server's copy: ${SERVER_PROBLEM[c.problem].replace('{seq}', String(c.seq))}. Please tell IT security.`;
}

export function AuditPanel() {
  const client = useClient();
  const [draft, setDraft] = useState({
    action: '',
    username: '',
    patient: '',
    outcome: '',
    from: '',
    to: '',
  });
  const [filter, setFilter] = useState<AuditFilter>({});
  const trail = useLoad(() => client.invoke('audit.list', { filter, limit: 200 }), [client, filter]);
  // Records hold user ids; show the username beside them.
  const users = useLoad(() => client.invoke('users.list', {}), [client]);
  const usernameOf = (id: string | null) => (id ? users.data?.find((u) => u.id === id)?.username : undefined);
  const [verdict, setVerdict] = useState<AuditVerdict | null>(null);
  const [comparison, setComparison] = useState<AuditServerComparison | null>(null);
  const [comparing, setComparing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function apply(event: FormEvent) {
    event.preventDefault();
    const next: AuditFilter = {};
    if (draft.action.trim()) next.action = draft.action.trim();
    const username = draft.username.trim().toLowerCase();
    if (username) {
      // Administrators know people by username; the trail keeps ids, so the name is looked up here.
      const user = users.data?.find((u) => u.username.toLowerCase() === username);
      if (!user) {
        setError(`No account has the username ${draft.username.trim()}.`);
        return;
      }
      next.actorUserId = user.id;
    }
    setError(null);
    // By MRN or name: main finds the patient; this screen never sees who it is.
    if (draft.patient.trim()) next.patient = draft.patient.trim();
    if (draft.outcome) next.outcome = draft.outcome as AuditFilter['outcome'];
    if (draft.from) next.from = new Date(draft.from).toISOString();
    if (draft.to) next.to = new Date(draft.to).toISOString();
    setFilter(next);
  }

  async function verify() {
    setError(null);
    try {
      setVerdict(await client.invoke('audit.verify', {}));
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function compareWithServer() {
    setError(null);
    setComparison(null);
    setComparing(true);
    try {
      setComparison(await client.invoke('audit.compareWithServer', {}));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setComparing(false);
    }
  }

  async function exportAs(format: 'csv' | 'fhir') {
    setError(null);
    try {
      const file = await client.invoke('audit.export', { filter, format });
      const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
      const link = document.createElement('a');
      link.href = url;
      link.download = file.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError(errorText(e));
    }
  }

  const set = (key: keyof typeof draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <form className="inline-form" onSubmit={apply} aria-label="Filter the audit trail">
        <label>
          Action
          <input value={draft.action} onChange={set('action')} placeholder="patients.get" />
        </label>
        <label>
          Done by
          <input
            value={draft.username}
            onChange={set('username')}
            list="audit-usernames"
            placeholder="their sign-in name"
          />
          <datalist id="audit-usernames">
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.username} />
            ))}
          </datalist>
        </label>
        <label>
          Patient (MRN or name)
          <input value={draft.patient} onChange={set('patient')} placeholder="CM-1001 or Abernathy" />
        </label>
        <label>
          Outcome
          <select value={draft.outcome} onChange={set('outcome')}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" value={draft.from} onChange={set('from')} />
        </label>
        <label>
          To
          <input type="datetime-local" value={draft.to} onChange={set('to')} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <div className="row-actions">
        <button type="button" onClick={() => void verify()}>
          Verify the chain
        </button>
        <button
          type="button"
          className="secondary"
          disabled={comparing}
          onClick={() => void compareWithServer()}
        >
          {comparing ? 'Comparing…' : "Compare with the server's copy"}
        </button>
        <button type="button" className="secondary" onClick={() => void exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" className="secondary" onClick={() => void exportAs('fhir')}>
          Export FHIR AuditEvent
        </button>
      </div>
      {verdict && (
        <p className={verdict.ok ? 'admin-notice' : 'error'} role="status" data-testid="audit-verdict">
          {verdict.ok
            ? `The audit trail is intact: ${verdict.count} records, none edited, removed or reordered.`
            : `The audit trail was changed outside the app at record ${verdict.firstBadSeq} (${
                VERDICT_PROBLEM[verdict.problem]
              }). Please tell IT security.`}
        </p>
      )}
      {comparison && (
        <p
          className={comparison.ok ? 'admin-notice' : 'error'}
          role="status"
          data-testid="audit-server-comparison"
        >
          {serverComparisonText(comparison)}
        </p>
      )}
      {filter.patient && trail.data?.patientsMatched === 0 && (
        <p className="admin-notice" role="status" data-testid="audit-no-patient">
          No patient has the MRN or name “{filter.patient}”.
        </p>
      )}
      {(trail.error ?? error) && (
        <p className="error" role="alert">
          {trail.error ?? error}
        </p>
      )}
      <table className="data-table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Workstation</th>
            <th scope="col">Action</th>
            <th scope="col">Resource</th>
            <th scope="col">Patient</th>
            <th scope="col">Outcome</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {(trail.data?.records ?? []).map((r) => (
            <tr key={r.seq}>
              <td>{r.seq}</td>
              <td>{new Date(r.at).toLocaleString()}</td>
              <td title={r.actorUserId ?? undefined}>
                {usernameOf(r.actorUserId) ?? <span className="mono">{r.actorUserId ?? '—'}</span>}
              </td>
              <td>{r.actorRole ?? '—'}</td>
              <td>{r.workstation}</td>
              <td className="mono">{r.action}</td>
              <td className="mono">{r.resourceType ? `${r.resourceType}/${r.resourceId ?? ''}` : '—'}</td>
              <td className="mono">{r.patientId ?? '—'}</td>
              <td>{r.outcome}</td>
              <td className="mono">{r.detail ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {trail.data?.hasMore && (
        <p className="muted">Showing the newest 200. Narrow the filter to see older records.</p>
      )}
    </section>
  );
}
