import type { AuthStatus } from '../../../../shared/ipc/channels/auth';

/** Who is signed in at this window, with Lock and Sign out. */
export function SessionBar(props: { status: AuthStatus; onLock: () => void; onSignOut: () => void }) {
  const user = props.status.user;
  if (!user) return null;
  return (
    <div className="session-bar" data-testid="session-bar">
      <span className="session-who">
        {/* A long name is cut short on a narrow screen; the tooltip shows it whole. */}
        <span className="session-name" title={user.displayName}>
          {user.displayName}
        </span>{' '}
        <span className="session-role">({user.role})</span>
      </span>
      <button type="button" className="secondary" onClick={props.onLock}>
        Lock
      </button>
      <button type="button" className="secondary" onClick={props.onSignOut}>
        Sign out
      </button>
    </div>
  );
}
