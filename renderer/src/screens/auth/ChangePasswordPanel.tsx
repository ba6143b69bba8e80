import { useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH, newPasswordSchema } from '../../../../shared/ipc/channels/auth';
import { useClient } from '../../ipc/ClientContext';
import { errorText, fieldErrors } from '../../ui/errors';
import { TextField } from '../../ui/TextField';

const EMPTY = { currentPassword: '', newPassword: '', repeat: '' };

/**
 * Any member of staff changes their own password here: the current one proves it is them at an
 * unlocked screen. The new one is typed twice, since nobody can see what was typed.
 * `required`: the sign-in step after a password an administrator set (a new account, a reset); the
 * user continues only once it is replaced.
 */
export function ChangePasswordPanel(props: {
  required?: { displayName: string; onDone: () => void; onSignOut: () => void };
}) {
  const { required } = props;
  const client = useClient();
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (field: keyof typeof EMPTY) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    setFormError(null);
    const problems: Record<string, string> = {};
    if (!form.currentPassword)
      problems.currentPassword = required
        ? 'Enter the password you were given.'
        : 'Enter your current password.';
    const strength = newPasswordSchema.safeParse(form.newPassword);
    if (!strength.success)
      problems.newPassword = strength.error.issues[0]?.message ?? 'Choose a new password.';
    else if (form.repeat !== form.newPassword) problems.repeat = 'The two new passwords are not the same.';
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const result = await client.invoke('auth.changePassword', {
        currentPassword: form.currentPassword,
        newPassword: form.newPassword,
      });
      setForm(EMPTY);
      if (required) {
        required.onDone();
        return;
      }
      setDone(
        result.signedOutElsewhere > 0
          ? `Your password was changed. Your other ${result.signedOutElsewhere === 1 ? 'window was' : `${result.signedOutElsewhere} windows were`} signed out.`
          : 'Your password was changed. Use the new one from now on.',
      );
    } catch (e) {
      const fields = fieldErrors(e);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFormError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={required ? 'auth-card' : 'panel'} aria-labelledby="password-heading">
      {required ? (
        <>
          <h1 id="password-heading">Choose your own password</h1>
          <p>
            {required.displayName}, the password you signed in with was set by an administrator. Choose one
            that only you know before you continue.
          </p>
        </>
      ) : (
        <h2 id="password-heading">Your password</h2>
      )}
      <form onSubmit={submit} noValidate className="change-password">
        {formError && (
          <p className="error" role="alert">
            {formError}
          </p>
        )}
        <TextField
          type="password"
          id="current-password"
          label={required ? 'Password you were given' : 'Current password'}
          autoComplete="current-password"
          value={form.currentPassword}
          onChange={set('currentPassword')}
          error={errors.currentPassword}
        />
        <TextField
          type="password"
          id="new-password"
          label={`New password (at least ${MIN_PASSWORD_LENGTH} characters)`}
          autoComplete="new-password"
          value={form.newPassword}
          onChange={set('newPassword')}
          error={errors.newPassword}
        />
        <TextField
          type="password"
          id="repeat-password"
          label="New password again"
          autoComplete="new-password"
          value={form.repeat}
          onChange={set('repeat')}
          error={errors.repeat}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Changing…' : required ? 'Save my password' : 'Change password'}
          </button>
          {required && (
            <button type="button" className="secondary" onClick={required.onSignOut}>
              Sign out
            </button>
          )}
        </div>
        {done && (
          <p role="status" data-testid="password-changed">
            {done}
          </p>
        )}
      </form>
    </section>
  );
}
