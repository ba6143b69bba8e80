import { useState } from 'react';
import type { Observation } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { VersionList } from '../../ui/VersionList';
import { useLoad } from '../../ui/useLoad';

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
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
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
        <form
          className="entered-in-error"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim().length < 3) {
              setError('Say briefly why this value was entered in error.');
              return;
            }
            props.onEnterInError(reason.trim()).then(
              () => {
                setAsking(false);
                setReason('');
                setError(null);
                versions.reload();
              },
              (err: unknown) => setError(errorText(err)),
            );
          }}
        >
          <label htmlFor={`${id}-reason`}>Why was it entered in error?</label>
          <input id={`${id}-reason`} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="submit">Mark entered in error</button>
          <button type="button" onClick={() => setAsking(false)}>
            Cancel
          </button>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
