import { useEffect, useState, type FormEvent } from 'react';
import {
  correctablePatientFields,
  patientCorrectionSchema,
  type CorrectablePatientField,
  type Patient,
  type PatientCorrectionRecord,
  type Sex,
} from '../../../../shared/records';
import { IpcError } from '../../../../shared/ipc';
import { useClient } from '../../ipc/ClientContext';
import { errorText, fieldErrors } from '../../ui/errors';
import { formatDateTime, sexWord } from '../../ui/format';
import { formatTypedDate, parseTypedDate } from '../../../../shared/records/typed-date';
import { PatientDetailsFields } from '../../ui/PatientFields';
import { useDateOrder } from '../../ui/useDateOrder';
import { TextField } from '../../ui/TextField';

const FIELD_WORDS: Record<CorrectablePatientField, string> = {
  family: 'family name',
  given: 'given name',
  birthDate: 'birth date',
  sex: 'sex',
  phone: 'phone',
  email: 'email',
};

type FormValues = Record<CorrectablePatientField, string>;

const valuesOf = (patient: Patient): FormValues => ({
  family: patient.family,
  given: patient.given,
  birthDate: patient.birthDate,
  sex: patient.sex,
  phone: patient.phone ?? '',
  email: patient.email ?? '',
});

/** "family name Lindqvist, phone (none)": the values a correction replaced. */
function replacedText(previous: PatientCorrectionRecord['previous']): string {
  return correctablePatientFields
    .filter((f) => f in previous)
    .map((f) => {
      const value = previous[f];
      const shown = f === 'sex' && value ? sexWord(value as Sex) : value || '(none)';
      return `${FIELD_WORDS[f]} ${shown}`;
    })
    .join(', ');
}

/**
 * Correcting a misspelt name or a wrong birth date, with a reason. Only the fields that differ are sent;
 * the replaced values are kept and listed below. The MRN is the patient's identity in every system, so
 * it is not editable: a wrong MRN means the wrong record, which the records office resolves.
 */
export function CorrectPatientForm(props: {
  patient: Patient;
  onCorrected: (patient: Patient) => void;
  onClose: () => void;
}) {
  const client = useClient();
  const dateOrder = useDateOrder();
  const { patient } = props;
  // What the form was opened on: changes are computed against it, and main refuses the save if the
  // record moved on meanwhile (another window's correction is never silently overwritten).
  const [basis, setBasis] = useState(patient);
  const [form, setForm] = useState<FormValues>(() => valuesOf(patient));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [history, setHistory] = useState<PatientCorrectionRecord[] | null>(null);

  useEffect(() => {
    let current = true;
    client.invoke('patients.corrections', { patientId: patient.id }).then(
      (list) => current && setHistory(list),
      () => current && setHistory([]),
    );
    return () => {
      current = false;
    };
  }, [client, patient.id, patient.updatedAt]);

  // The stored (ISO) birth date is shown in the clinic's order until the nurse types over it; an ISO
  // date is read the same under any order, so what is submitted needs no conversion back.
  const shown =
    form.birthDate === patient.birthDate
      ? { ...form, birthDate: formatTypedDate(patient.birthDate, dateOrder) }
      : form;

  const set = (field: CorrectablePatientField) => (value: string) =>
    setForm((f) => ({ ...f, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const original = valuesOf(basis);
    // The birth date as typed in the clinic's order, compared and sent as the ISO date it means.
    const typedBirth = parseTypedDate(form.birthDate, dateOrder);
    const typed: FormValues = { ...form, birthDate: typedBirth.ok ? typedBirth.iso : form.birthDate };
    const changes = Object.fromEntries(
      correctablePatientFields.filter((f) => typed[f].trim() !== original[f]).map((f) => [f, typed[f]]),
    );
    if (Object.keys(changes).length === 0) {
      setErrors({});
      setFormError('Nothing was changed: the details are as they were.');
      return;
    }
    const parsed = patientCorrectionSchema.safeParse({
      patientId: basis.id,
      expectedUpdatedAt: basis.updatedAt,
      changes,
      reason,
    });
    const keyOf = (path: string): string => path.replace(/^changes\./, '');
    if (!parsed.success || !typedBirth.ok) {
      setErrors({
        ...Object.fromEntries((parsed.error?.issues ?? []).map((i) => [keyOf(i.path.join('.')), i.message])),
        ...(typedBirth.ok ? {} : { birthDate: typedBirth.message }),
      });
      setFormError('Please correct the marked fields.');
      return;
    }
    setSaving(true);
    try {
      props.onCorrected(await client.invoke('patients.correct', parsed.data));
    } catch (e) {
      setErrors(Object.fromEntries(Object.entries(fieldErrors(e)).map(([k, v]) => [keyOf(k), v])));
      setFormError(errorText(e));
      if (e instanceof IpcError && e.code === 'CONFLICT') {
        // Show what the record says now; the nurse checks it and corrects again.
        setBasis(patient);
        setForm(valuesOf(patient));
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="panel correct-patient no-print" aria-labelledby="correct-heading">
      <h2 id="correct-heading">Correct patient details</h2>
      <p className="hint">
        MRN {patient.mrn} cannot be changed here. If it is wrong, this is the wrong record: ask the records
        office.
      </p>
      <form
        onSubmit={submit}
        noValidate
        // Escape leaves without saving, as Cancel does.
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onClose();
        }}
      >
        {formError && (
          <p className="error" role="alert">
            {formError}
          </p>
        )}
        <div className="form-grid">
          <PatientDetailsFields
            idPrefix="fix"
            values={shown}
            errors={errors}
            onChange={set}
            autoFocus
            dateOrder={dateOrder}
          />
          <TextField
            id="fix-reason"
            label="Reason for the correction"
            value={reason}
            onChange={setReason}
            error={errors.reason}
            placeholder="Checked against the patient's ID card"
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save correction'}
          </button>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
      {history && history.length > 0 && (
        <>
          <h3>Earlier corrections</h3>
          <ul className="correction-history" data-testid="patient-corrections">
            {history.map((c) => (
              <li key={c.id}>
                {formatDateTime(c.correctedAt)} · {c.correctedBy.displayName} · “{c.reason}” · replaced{' '}
                {replacedText(c.previous)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
