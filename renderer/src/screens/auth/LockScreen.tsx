import { useState, type FormEvent } from 'react';
import type { AuthStatus, SignInResult } from '../../../../shared/ipc/channels/auth';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { SignInForm } from './SignInForm';

/**
 * Shown instead of the app while the screen is locked: nothing with patient data is rendered behind
 * it. Unlock with the password (and code when policy asks again), or switch user, which signs the
 * locked-out user out.
 */
export function LockScreen(props: { status: AuthStatus; onDone: (result: SignInResult) => void }) {
  const client = useClient();
  const [switching, setSwitching] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(props.status.unlockNeedsTwoFactor);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (switching) {
    return <SignInForm title="Switch user" onDone={props.onDone} onCancel={() => setSwitching(false)} />;
  }

  async function unlock(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await client.invoke('auth.unlock', {
        password,
        ...(needsCode && code ? { totp: code } : {}),
      });
      if (result.result === 'two-factor-required') {
        setNeedsCode(true);
        return;
      }
      props.onDone(result);
    } catch (e) {
      setError(errorText(e));
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="auth-card lock-screen"
      onSubmit={unlock}
      aria-labelledby="lock-title"
      data-testid="lock-screen"
    >
      <h1 id="lock-title">Screen locked</h1>
      <p>
        Signed in as <strong>{props.status.user?.displayName}</strong>. Enter your password to continue.
      </p>
      <label>
        Password
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
          autoFocus
        />
      </label>
      {needsCode && (
        <label>
          Code from your authenticator app
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            required
          />
        </label>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="auth-actions">
        <button type="submit" disabled={busy}>
          Unlock
        </button>
        <button type="button" className="secondary" onClick={() => setSwitching(true)}>
          Switch user
        </button>
      </div>
    </form>
  );
}
