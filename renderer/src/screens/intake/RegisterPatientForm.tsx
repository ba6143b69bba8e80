import { useState, type FormEvent } from 'react';
import { newPatientSchema, type Patient } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText, fieldErrors } from '../../ui/errors';

/**
 * Quick registration. The same zod schema main uses checks the form first, so the nurse sees every
 * problem at once, next to its field; main checks again (and refuses a duplicate MRN).
 */
export function RegisterPatientForm(props: {
  initialQuery: string;
  onRegistered: (patient: Patient) => void;
  onCancel: () => void;
}) {
  const client = useClient();
  const looksLikeMrn = /^[A-Za-z0-9-]*\d[A-Za-z0-9-]*$/.test(props.initialQuery.trim());
  const [form, setForm] = useState({
    mrn: looksLikeMrn ? props.initialQuery.trim() : '',
    family: '',
    given: '',
    birthDate: '',
    sex: '',
    phone: '',
    email: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const set = (field: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const candidate = {
      mrn: form.mrn,
      family: form.family,
      given: form.given,
      birthDate: form.birthDate,
      sex: form.sex,
      ...(form.phone.trim() ? { phone: form.phone } : {}),
      ...(form.email.trim() ? { email: form.email } : {}),
    };
    const parsed = newPatientSchema.safeParse(candidate);
    if (!parsed.success) {
      setErrors(
        Object.fromEntries(
          parsed.error.issues.map((i) => [
            String(i.path[0]),
            i.path[0] === 'sex' ? 'Choose the sex recorded for the patient.' : i.message,
          ]),
        ),
      );
      setFormError('Please correct the marked fields.');
      return;
    }
    setSaving(true);
    try {
      const patient = await client.invoke('patients.register', parsed.data);
      props.onRegistered(patient);
    } catch (e) {
      setErrors(fieldErrors(e));
      setFormError(errorText(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="panel register-patient" aria-labelledby="register-heading">
      <h1 id="register-heading">Register a new patient</h1>
      <form onSubmit={submit} noValidate>
        {formError && (
          <p className="error" role="alert">
            {formError}
          </p>
        )}
        <div className="form-grid">
          <Field id="mrn" label="MRN" value={form.mrn} onChange={set('mrn')} error={errors.mrn} autoFocus />
          <Field
            id="family"
            label="Family name"
            value={form.family}
            onChange={set('family')}
            error={errors.family}
          />
          <Field
            id="given"
            label="Given name"
            value={form.given}
            onChange={set('given')}
            error={errors.given}
          />
          <Field
            id="birthDate"
            label="Birth date (YYYY-MM-DD)"
            value={form.birthDate}
            onChange={set('birthDate')}
            error={errors.birthDate}
            placeholder="1980-04-23"
          />
          <div className="field">
            <label htmlFor="reg-sex">Sex</label>
            <select
              id="reg-sex"
              value={form.sex}
              onChange={(e) => set('sex')(e.target.value)}
              aria-invalid={errors.sex ? true : undefined}
              aria-describedby={errors.sex ? 'reg-sex-error' : undefined}
            >
              <option value="">Choose…</option>
              <option value="female">Female</option>
              <option value="male">Male</option>
              <option value="other">Other</option>
              <option value="unknown">Unknown</option>
            </select>
            {errors.sex && (
              <span className="field-error" id="reg-sex-error">
                {errors.sex}
              </span>
            )}
          </div>
          <Field
            id="phone"
            label="Phone (optional)"
            value={form.phone}
            onChange={set('phone')}
            error={errors.phone}
          />
          <Field
            id="email"
            label="Email (optional)"
            value={form.email}
            onChange={set('email')}
            error={errors.email}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Registering…' : 'Register patient'}
          </button>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

function Field(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  autoFocus?: boolean;
  placeholder?: string;
}) {
  const inputId = `reg-${props.id}`;
  return (
    <div className="field">
      <label htmlFor={inputId}>{props.label}</label>
      <input
        id={inputId}
        value={props.value}
        autoFocus={props.autoFocus}
        placeholder={props.placeholder}
        autoComplete="off"
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${inputId}-error` : undefined}
      />
      {props.error && (
        <span className="field-error" id={`${inputId}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}
