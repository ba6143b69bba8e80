import { useState } from 'react';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { formatDateTime } from '../../ui/format';

/**
 * Key rotation: the whole patient database is re-encrypted under a new random key, and the new key is
 * stored the same way as the old one (the OS keychain in the app). Asked twice: it takes a moment and
 * should not happen by a stray click.
 */
export function DatabaseKeyPanel() {
  const client = useClient();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const rotate = () => {
    setBusy(true);
    setError(null);
    client
      .invoke('database.rotateKey', {})
      .then(
        (r) => setResult(`The database key was replaced on ${formatDateTime(r.rotatedAt)}.`),
        (e: unknown) => setError(errorText(e)),
      )
      .finally(() => {
        setBusy(false);
        setConfirming(false);
      });
  };

  return (
    <section className="panel" aria-labelledby="db-key-heading">
      <h2 id="db-key-heading">Database encryption key</h2>
      <p>
        Replace the key that encrypts patient data at this workstation, for example after a staff member with
        access to the computer's key store has left. Nothing else changes for the staff.
      </p>
      {!confirming ? (
        <button type="button" onClick={() => setConfirming(true)} disabled={busy}>
          Replace the database key…
        </button>
      ) : (
        <div className="actions" role="group" aria-label="Confirm key replacement">
          <button type="button" className="danger" onClick={rotate} disabled={busy}>
            {busy ? 'Re-encrypting…' : 'Yes, replace the key now'}
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
            Cancel
          </button>
        </div>
      )}
      {result && (
        <p role="status" data-testid="db-key-result">
          {result}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
