import type { ReactNode } from 'react';
import type { AuthStatus, SignInResult } from '../../../../shared/ipc/channels/auth';
import { useClient } from '../../ipc/ClientContext';
import { ChangePasswordPanel } from './ChangePasswordPanel';
import { FirstRunSetup } from './FirstRunSetup';
import { IdleWarning } from './IdleWarning';
import { LockScreen } from './LockScreen';
import { SignInForm } from './SignInForm';
import { TotpEnrolment } from './TotpEnrolment';
import { useActivity } from './useActivity';
import { useAuth } from './useAuth';
import './auth.css';

/**
 * Shows the step that is missing (sign-in, lock screen…) over whatever `children` keeps for each user.
 * `children` is called in every state: it must show the app only for a signed-in, unlocked user and keep
 * the rest hidden (App keeps each user's work hidden in memory, never on disk). Main enforces the same
 * on every call; this is what the user sees.
 */
export function AuthGate(props: {
  children: (status: AuthStatus, actions: { lock(): void; signOut(): void }) => ReactNode;
}) {
  const client = useClient();
  const { status, error, refresh } = useAuth();
  useActivity(status?.state === 'signed-in');
  const done = (result: SignInResult) =>
    result.result === 'two-factor-required' ? refresh() : refresh(result.status);
  const signOut = () =>
    void client.invoke('auth.signOut', {}).then(
      (s) => refresh(s),
      () => refresh(),
    );
  const lock = () =>
    void client.invoke('auth.lock', {}).then(
      (s) => refresh(s),
      () => refresh(),
    );

  if (!status) {
    return (
      <div className="auth-screen">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p>Connecting to the workstation…</p>
        )}
      </div>
    );
  }
  // Always first in the fragment, so React keeps the same tree (and the work in it) in every state.
  const kept = props.children(status, { lock, signOut });
  switch (status.state) {
    case 'setup-required':
      return (
        <>
          {kept}
          <div className="auth-screen">
            <FirstRunSetup onDone={done} />
          </div>
        </>
      );
    case 'signed-out':
      return (
        <>
          {kept}
          <div className="auth-screen">
            <SignInForm title="Sign in to Vitals Desk" onDone={done} />
          </div>
        </>
      );
    case 'password-change-required':
      return (
        <>
          {kept}
          <div className="auth-screen">
            <ChangePasswordPanel
              required={{
                displayName: status.user?.displayName ?? '',
                onDone: () => refresh(),
                onSignOut: signOut,
              }}
            />
          </div>
        </>
      );
    case 'enrolment-required':
      return (
        <>
          {kept}
          <div className="auth-screen">
            <TotpEnrolment
              displayName={status.user?.displayName ?? ''}
              onDone={(s) => refresh(s)}
              onSignOut={signOut}
            />
          </div>
        </>
      );
    case 'locked':
      return (
        <>
          {kept}
          <div className="auth-screen locked">
            <LockScreen key={status.user?.id} status={status} onDone={done} />
          </div>
        </>
      );
    case 'signed-in':
      return (
        <>
          {kept}
          <IdleWarning />
        </>
      );
  }
}
