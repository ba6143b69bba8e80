import { useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH, type SignInResult } from '../../../../shared/ipc/channels/auth';
import { useClient } from '../../ipc/ClientContext';
import { errorText, fieldErrors } from '../../ui/errors';

/** First start of a new workstation: create the first administrator account. */
export function FirstRunSetup(props: { onDone: (result: SignInResult) => void }) {
  const client = useClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== repeat) {
      setFields({ repeat: 'The two passwords are not the same.' });
      return;
    }
    setBusy(true);
    try {
      props.onDone(await client.invoke('auth.setupFirstAdmin', { username, displayName, password }));
    } catch (e) {
      setError(errorText(e));
      setFields(fieldErrors(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="auth-card" onSubmit={submit} aria-labelledby="setup-title">
      <h1 id="setup-title">Set up Vitals Desk</h1>
      <p>No staff account exists on this workstation yet. Create the first administrator account.</p>
      <label>
        Username
        <input
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="username"
          required
        />
      </label>
      {fields.username && <p className="field-error">{fields.username}</p>}
      <label>
        Full name
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
      </label>
      <label>
        Password (at least {MIN_PASSWORD_LENGTH} characters)
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          required
        />
      </label>
      {fields.password && <p className="field-error">{fields.password}</p>}
      <label>
        Password again
        <input
          type="password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          autoComplete="new-password"
          required
        />
      </label>
      {fields.repeat && <p className="field-error">{fields.repeat}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Create administrator
      </button>
    </form>
  );
}
