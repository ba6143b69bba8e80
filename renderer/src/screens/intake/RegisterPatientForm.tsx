import { useState, type FormEvent } from 'react';
import { newPatientSchema, type Patient, type PatientSummary } from '../../../../shared/records';
import { useClient } from '../../ipc/ClientContext';
import { errorText, fieldErrors } from '../../ui/errors';
import { formatTypedDate, parseTypedDate } from '../../../../shared/records/typed-date';
import { PatientDetailsFields } from '../../ui/PatientFields';
import { useDateOrder } from '../../ui/useDateOrder';
import { TextField } from '../../ui/TextField';

type Likely = PatientSummary & { matchedBy: readonly ('name-and-birth-date' | 'phone')[] };

const MATCH_WORDS: Record<Likely['matchedBy'][number], string> = {
  'name-and-birth-date': 'same name and birth date',
  phone: 'same phone',
};

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
  const dateOrder = useDateOrder();
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
  /** Patients already registered with the same name and birth date or phone, shown before saving a new one. */
  const [likely, setLikely] = useState<readonly Likely[] | null>(null);

  const set = (field: keyof typeof form) => (value: string) => {
    // Changed details are checked for a duplicate again.
    setLikely(null);
    setForm((f) => ({ ...f, [field]: value }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Typed in the clinic's order, sent as the ISO date it means; a date that is not one is said why.
    const typedBirth = parseTypedDate(form.birthDate, dateOrder);
    const candidate = {
      mrn: form.mrn,
      family: form.family,
      given: form.given,
      birthDate: typedBirth.ok ? typedBirth.iso : form.birthDate,
      sex: form.sex,
      ...(form.phone.trim() ? { phone: form.phone } : {}),
      ...(form.email.trim() ? { email: form.email } : {}),
    };
    const parsed = newPatientSchema.safeParse(candidate);
    if (!parsed.success || !typedBirth.ok) {
      setErrors({
        ...Object.fromEntries(
          (parsed.error?.issues ?? []).map((i) => [
            String(i.path[0]),
            i.path[0] === 'sex' ? 'Choose the sex recorded for the patient.' : i.message,
          ]),
        ),
        ...(typedBirth.ok ? {} : { birthDate: typedBirth.message }),
      });
      setFormError('Please correct the marked fields.');
      return;
    }
    setSaving(true);
    try {
      if (likely === null) {
        const same = await client.invoke('patients.likelyDuplicates', {
          family: parsed.data.family,
          given: parsed.data.given,
          birthDate: parsed.data.birthDate,
          ...(parsed.data.phone ? { phone: parsed.data.phone } : {}),
        });
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
          <PatientDetailsFields
            idPrefix="reg"
            values={form}
            errors={errors}
            onChange={set}
            dateOrder={dateOrder}
          />
        </div>
        {likely && likely.length > 0 && (
          <div className="likely-duplicate" role="alert" data-testid="likely-duplicate">
            <p>
              <strong>This patient may already be registered</strong>:
            </p>
            <ul>
              {likely.map((o) => (
                <li key={o.id}>
                  {o.family.toUpperCase()}, {o.given} · born {formatTypedDate(o.birthDate, dateOrder)} · MRN{' '}
                  {o.mrn} · {o.matchedBy.map((m) => MATCH_WORDS[m]).join(' and ')}{' '}
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
