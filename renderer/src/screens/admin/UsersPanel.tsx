import { useState } from 'react';
import type { Role } from '../../../../shared/ipc/contract';
import type { UserSummary } from '../../../../shared/ipc/channels/users';
import { MIN_PASSWORD_LENGTH } from '../../../../shared/ipc/channels/auth';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import { useFormSubmit } from '../../ui/useFormSubmit';
import { useLoad } from '../../ui/useLoad';
import { ConfirmChangeDialog } from './ConfirmChangeDialog';

const ROLE_LABEL: Record<Role, string> = { nurse: 'Nurse', clinician: 'Clinician', admin: 'Administrator' };

/**
 * Staff accounts: create, change role, switch off or on, reset the password or two-step sign-in. A
 * password set here is temporary: the user chooses their own at the next sign-in.
 */
export function UsersPanel() {
  const client = useClient();
  const users = useLoad(() => client.invoke('users.list', {}), [client]);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resetting, setResetting] = useState<UserSummary | null>(null);
  /** A change waiting for the administrator's yes: switching an account off, or making an administrator. */
  const [asking, setAsking] = useState<{
    title: string;
    sentence: string;
    confirmLabel: string;
    run: () => void;
  } | null>(null);

  async function change(
    user: UserSummary,
    changes: { role?: Role; disabled?: boolean; resetTwoFactor?: true },
    done: string,
  ) {
    setError(null);
    try {
      await client.invoke('users.update', { id: user.id, ...changes });
      setMessage(done);
      users.reload();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section className="panel" aria-labelledby="users-title">
      <h2 id="users-title">Staff accounts</h2>
      {(users.error ?? error) && (
        <p className="error" role="alert">
          {users.error ?? error}
        </p>
      )}
      {message && (
        <p className="admin-notice" role="status">
          {message}
        </p>
      )}
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Two-step</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((user) => (
            <tr key={user.id}>
              <td>{user.username}</td>
              <td>{user.displayName}</td>
              <td>
                <select
                  aria-label={`Role of ${user.username}`}
                  value={user.role}
                  onChange={(e) => {
                    const role = e.target.value as Role;
                    const run = () =>
                      void change(user, { role }, `${user.username} is now ${ROLE_LABEL[role]}.`);
                    if (role !== 'admin') return run();
                    setAsking({
                      title: `Make ${user.username} an administrator?`,
                      sentence: `${user.displayName} will manage staff accounts, the audit trail and the database key, and will no longer see patients.`,
                      confirmLabel: 'Make administrator',
                      run,
                    });
                  }}
                >
                  {(Object.keys(ROLE_LABEL) as Role[]).map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABEL[r]}
                    </option>
                  ))}
                </select>
              </td>
              <td>{user.twoFactorEnrolled ? 'Set up' : 'Not yet'}</td>
              <td>
                {user.disabled ? 'Switched off' : 'Active'}
                {user.passwordChangeRequired && !user.disabled && ' · to choose own password'}
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  className={user.disabled ? 'secondary' : 'danger'}
                  onClick={() => {
                    const run = () =>
                      void change(
                        user,
                        { disabled: !user.disabled },
                        `${user.username} is ${user.disabled ? 'active again' : 'switched off'}.`,
                      );
                    if (user.disabled) return run();
                    setAsking({
                      title: `Switch off ${user.username}?`,
                      sentence: `${user.displayName} is signed out at once and cannot sign in until the account is switched on again.`,
                      confirmLabel: 'Switch off',
                      run,
                    });
                  }}
                >
                  {user.disabled ? 'Switch on' : 'Switch off'}
                </button>
                <button type="button" className="secondary" onClick={() => setResetting(user)}>
                  Reset password
                </button>
                {user.twoFactorEnrolled && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() =>
                      void change(
                        user,
                        { resetTwoFactor: true },
                        `${user.username} will set up two-step sign-in again.`,
                      )
                    }
                  >
                    Reset two-step
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {asking && (
        <ConfirmChangeDialog
          title={asking.title}
          sentence={asking.sentence}
          confirmLabel={asking.confirmLabel}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            setAsking(null);
            asking.run();
          }}
        />
      )}
      {resetting && (
        <ResetPasswordForm
          key={resetting.id}
          user={resetting}
          onDone={(u) => {
            setResetting(null);
            setMessage(
              `${u.username} signs in with the temporary password, then chooses their own. Give it to them in person.`,
            );
            users.reload();
          }}
          onCancel={() => setResetting(null)}
        />
      )}
      <NewUserForm
        onCreated={(u) => {
          setMessage(
            `Account ${u.username} created. At their first sign-in they choose their own password and set up two-step sign-in.`,
          );
          users.reload();
        }}
      />
    </section>
  );
}

function NewUserForm(props: { onCreated: (user: UserSummary) => void }) {
  const client = useClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('nurse');
  const [password, setPassword] = useState('');
  const { error, fields, submitting } = useFormSubmit();

  const submit = submitting(async () => {
    const user = await client.invoke('users.create', { username, displayName, role, password });
    setUsername('');
    setDisplayName('');
    setPassword('');
    props.onCreated(user);
  });

  return (
    <form className="inline-form" onSubmit={submit} aria-labelledby="new-user-title">
      <h3 id="new-user-title">New account</h3>
      <label>
        Username
        <input value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      {fields.username && <p className="field-error">{fields.username}</p>}
      <label>
        Full name
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
      </label>
      <label>
        Role
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {(Object.keys(ROLE_LABEL) as Role[]).map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL[r]}
            </option>
          ))}
        </select>
      </label>
      <TemporaryPassword value={password} onChange={setPassword} fieldError={fields.password} error={error} />
      <button type="submit">Create account</button>
    </form>
  );
}

function ResetPasswordForm(props: {
  user: UserSummary;
  onDone: (user: UserSummary) => void;
  onCancel: () => void;
}) {
  const client = useClient();
  const [password, setPassword] = useState('');
  const { error, fields, submitting } = useFormSubmit();

  const submit = submitting(async () => {
    props.onDone(await client.invoke('users.update', { id: props.user.id, password }));
  });

  return (
    <form className="inline-form" onSubmit={submit} aria-labelledby="reset-password-title">
      <h3 id="reset-password-title">Reset the password of {props.user.username}</h3>
      <TemporaryPassword
        value={password}
        onChange={setPassword}
        fieldError={fields.password}
        error={error}
        autoFocus
      />
      <button type="submit">Set temporary password</button>
      <button type="button" className="secondary" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}

/** The password an administrator sets (new account, reset): the user replaces it at the next sign-in. */
function TemporaryPassword(props: {
  value: string;
  onChange: (value: string) => void;
  fieldError: string | undefined;
  error: string | null;
  autoFocus?: boolean;
}) {
  return (
    <>
      <label>
        Temporary password (at least {MIN_PASSWORD_LENGTH} characters)
        <input
          type="password"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          autoComplete="new-password"
          required
          autoFocus={props.autoFocus}
        />
      </label>
      {props.fieldError && <p className="field-error">{props.fieldError}</p>}
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
    </>
  );
}
