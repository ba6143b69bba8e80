import { useState, type FormEvent } from 'react';
import { newPatientSchema, type Patient } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText, fieldErrors } from '../../ui/errors';
import { PatientDetailsFields } from '../../ui/PatientFields';
import { TextField } from '../../ui/TextField';

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
          <TextField
            id="reg-mrn"
            label="MRN"
            value={form.mrn}
            onChange={set('mrn')}
            error={errors.mrn}
            autoFocus
          />
          <PatientDetailsFields idPrefix="reg" values={form} errors={errors} onChange={set} />
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
