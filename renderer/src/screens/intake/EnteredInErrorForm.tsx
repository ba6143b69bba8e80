import { useState } from 'react';
import { errorText } from '../../ui/errors';

/** Asks why a value was entered in error (a few words at least) and withdraws it; stays open on failure. */
export function EnteredInErrorForm(props: {
  id: string;
  onEnterInError: (reason: string) => Promise<void>;
  onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { id } = props;
  return (
    <form
      className="entered-in-error"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim().length < 3) {
          setError('Say briefly why this value was entered in error.');
          return;
        }
        setSaving(true);
        props.onEnterInError(reason.trim()).then(
          () => {
            setSaving(false);
            setReason('');
            setError(null);
            props.onDone();
          },
          (err: unknown) => {
            setSaving(false);
            setError(errorText(err));
          },
        );
      }}
    >
      <label htmlFor={`${id}-reason`}>Why was it entered in error?</label>
      <input id={`${id}-reason`} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" disabled={saving}>
        Mark entered in error
      </button>
      <button type="button" onClick={props.onDone}>
        Cancel
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
