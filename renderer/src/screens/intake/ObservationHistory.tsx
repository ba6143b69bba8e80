import { useState } from 'react';
import type { Observation } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { VersionList } from '../../ui/VersionList';
import { useLoad } from '../../ui/useLoad';
import { EnteredInErrorForm } from './EnteredInErrorForm';

/** Every version of one value, newest first, with who changed it and why; and "entered in error". */
export function ObservationHistory(props: {
  seriesId: string;
  describe: (o: Observation) => string;
  onEnterInError: (reason: string) => Promise<void>;
}) {
  const client = useClient();
  const versions = useLoad(
    () => client.invoke('observations.versions', { seriesId: props.seriesId }),
    [client, props.seriesId],
  );
  const [asking, setAsking] = useState(false);
  const id = `history-${props.seriesId}`;

  return (
    <section className="observation-history" aria-label="History of this value">
      {versions.error && <p className="error">{versions.error}</p>}
      <VersionList versions={versions.data ?? []} describe={props.describe} newestFirst />
      {!asking ? (
        <button type="button" onClick={() => setAsking(true)}>
          Mark as entered in error…
        </button>
      ) : (
        <EnteredInErrorForm
          id={id}
          onEnterInError={async (reason) => {
            await props.onEnterInError(reason);
            versions.reload();
          }}
          onDone={() => setAsking(false)}
        />
      )}
    </section>
  );
}
