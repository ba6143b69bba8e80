import { useState, type FormEvent } from 'react';
import type { SignInResult } from '../../../../shared/ipc/channels/auth';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';

/**
 * Username and password, then (when main asks for it) the 6-digit code from the authenticator app or
 * a recovery code. Everything is sent again with the code: main keeps no half-signed-in state.
 */
export function SignInForm(props: {
  title: string;
  onDone: (result: SignInResult) => void;
  onCancel?: () => void;
}) {
  const client = useClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const second = needsCode && code ? (useRecovery ? { recoveryCode: code } : { totp: code }) : {};
      const result = await client.invoke('auth.signIn', { username, password, ...second });
      if (result.result === 'two-factor-required') {
        setNeedsCode(true);
        return;
      }
      setPassword('');
      setCode('');
      props.onDone(result);
    } catch (e) {
      setError(errorText(e));
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="auth-card" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{props.title}</h1>
      <label>
        Username
        <input
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="username"
          disabled={needsCode}
          required
          autoFocus
        />
      </label>
      <label>
        Password
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          disabled={needsCode}
          required
        />
      </label>
      {needsCode && (
        <>
          <label>
            {useRecovery ? 'Recovery code' : 'Code from your authenticator app'}
            <input
              value={code}
              onChange={(e) => setCode(e.target.value)}
              inputMode={useRecovery ? 'text' : 'numeric'}
              autoComplete="one-time-code"
              required
              autoFocus
            />
          </label>
          <button type="button" className="secondary" onClick={() => setUseRecovery((r) => !r)}>
            {useRecovery ? 'Use the authenticator code instead' : 'Lost your phone? Use a recovery code'}
          </button>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="auth-actions">
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
