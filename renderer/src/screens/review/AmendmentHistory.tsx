import type { Observation } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { VersionList } from '../../ui/VersionList';
import { useLoad } from '../../ui/useLoad';

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
      <VersionList versions={versions.data ?? []} describe={props.describe} />
    </div>
  );
}
