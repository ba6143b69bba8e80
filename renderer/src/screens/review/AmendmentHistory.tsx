import type { Observation } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { formatDateTime } from '../../ui/format';
import { useLoad } from '../../ui/useLoad';

const STATUS_WORDS: Record<Observation['status'], string> = {
  final: 'Recorded',
  amended: 'Corrected',
  'entered-in-error': 'Entered in error',
};

/** Every version of one value, oldest first, with who made it and why: read-only for the reviewer. */
export function AmendmentHistory(props: { seriesId: string; describe: (o: Observation) => string }) {
  const client = useClient();
  const versions = useLoad(
    () => client.invoke('observations.versions', { seriesId: props.seriesId }),
    [client, props.seriesId],
  );
  return (
    <div className="amendment-history" data-testid="amendment-history">
      {versions.error && <p className="error">{versions.error}</p>}
      {!versions.data && !versions.error && <p className="hint">Loading…</p>}
      <ol>
        {(versions.data ?? []).map((v) => (
          <li key={v.id} className={`version status-${v.status}`}>
            <span className="version-status">{STATUS_WORDS[v.status]}</span>{' '}
            {v.status !== 'entered-in-error' && props.describe(v)}{' '}
            <span className="version-meta">
              {formatDateTime(v.recordedAt)} by {v.recordedByName ?? v.recordedBy}
              {v.reason && <> — “{v.reason}”</>}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
