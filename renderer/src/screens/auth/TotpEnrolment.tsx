import { useEffect, useState, type FormEvent } from 'react';
import type { AuthStatus } from '../../../../shared/ipc/channels/auth';
import type { ResponseOf } from '../../../../shared/ipc';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';

type Enrolment = ResponseOf<'auth.enrolTotp'>;

/** Two-step sign-in setup: scan the QR code, write down the recovery codes, confirm with a first code. */
export function TotpEnrolment(props: {
  displayName: string;
  onDone: (status: AuthStatus) => void;
  onSignOut: () => void;
}) {
  const client = useClient();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    client.invoke('auth.enrolTotp', {}).then(
      (e) => current && setEnrolment(e),
      (e: unknown) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [client]);

  async function confirm(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onDone(await client.invoke('auth.confirmTotp', { code }));
    } catch (e) {
      setError(errorText(e));
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="auth-card wide" onSubmit={confirm} aria-labelledby="enrol-title">
      <h1 id="enrol-title">Set up two-step sign-in</h1>
      <p>
        {props.displayName}, the clinic asks for a code from an authenticator app on your phone each time you
        sign in.
      </p>
      {!enrolment && !error && <p>Preparing…</p>}
      {enrolment && (
        <div className="enrol-grid">
          <div>
            <h2>1. Scan this code with the app</h2>
            <img
              src={enrolment.qrDataUrl}
              alt="QR code to add Vitals Desk to your authenticator app"
              width={240}
              height={240}
            />
            <p className="muted">
              Cannot scan? Type this key: <code data-testid="totp-secret">{enrolment.secret}</code>
            </p>
          </div>
          <div>
            <h2>2. Keep these recovery codes safe</h2>
            <p className="muted">Each works once, if you lose your phone. They are not shown again.</p>
            <ol className="recovery-codes" data-testid="recovery-codes">
              {enrolment.recoveryCodes.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ol>
          </div>
        </div>
      )}
      <label>
        3. Enter the 6-digit code the app shows
        <input
          value={code}
          onChange={(e) => setCode(e.target.value)}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          required
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="auth-actions">
        <button type="submit" disabled={busy || !enrolment}>
          Confirm
        </button>
        <button type="button" className="secondary" onClick={props.onSignOut}>
          Sign out
        </button>
      </div>
    </form>
  );
}
