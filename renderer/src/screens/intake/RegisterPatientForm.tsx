import { useState, type FormEvent } from 'react';
import { newPatientSchema, type Patient, type PatientSummary } from '../../../../shared/records';
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
  /** Patients already registered with the same name and birth date, shown before saving a new one. */
  const [likely, setLikely] = useState<readonly PatientSummary[] | null>(null);

  const set = (field: keyof typeof form) => (value: string) => {
    // Changed details are checked for a duplicate again.
    setLikely(null);
    setForm((f) => ({ ...f, [field]: value }));
  };

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
      if (likely === null) {
        const same = await sameNameAndBirthDate(parsed.data);
        if (same.length > 0) {
          setLikely(same);
          setFormError(null);
          setErrors({});
          return;
        }
      }
      const patient = await client.invoke('patients.register', parsed.data);
      props.onRegistered(patient);
    } catch (e) {
      setErrors(fieldErrors(e));
      setFormError(errorText(e));
    } finally {
      setSaving(false);
    }
  }

  /** The birth-date search main already offers, narrowed to the same family and given name. */
  async function sameNameAndBirthDate(p: { family: string; given: string; birthDate: string }) {
    const key = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase();
    const found = await client.invoke('patients.search', { query: p.birthDate, limit: 100 });
    return found.filter(
      (o) => o.birthDate === p.birthDate && key(o.family) === key(p.family) && key(o.given) === key(p.given),
    );
  }

  async function openExisting(id: string) {
    try {
      props.onRegistered(await client.invoke('patients.get', { patientId: id }));
    } catch (e) {
      setFormError(errorText(e));
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
        {likely && likely.length > 0 && (
          <div className="likely-duplicate" role="alert" data-testid="likely-duplicate">
            <p>
              <strong>This patient may already be registered</strong> (same name and birth date):
            </p>
            <ul>
              {likely.map((o) => (
                <li key={o.id}>
                  {o.family.toUpperCase()}, {o.given} · born {o.birthDate} · MRN {o.mrn}{' '}
                  <button type="button" onClick={() => void openExisting(o.id)}>
                    Open MRN {o.mrn}
                  </button>
                </li>
              ))}
            </ul>
            <p className="hint">
              Or register a new patient anyway (a different person with the same details).
            </p>
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Registering…' : likely?.length ? 'Register as a new patient' : 'Register patient'}
          </button>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
