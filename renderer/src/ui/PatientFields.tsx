/** Form fields for a patient's details, shared by registration and correction so both read the same. */
import type { CorrectablePatientField, Sex } from '../../../shared/records';
import { dateInWords } from '../../../shared/records/date-words';
import { formatTypedDate, parseTypedDate, type DateOrder } from '../../../shared/records/typed-date';
import { DatePicker, todayIso } from './DatePicker';
import { TextField } from './TextField';

/** Name, birth date, sex and contact: the details registration asks for and a correction may change. */
export function PatientDetailsFields(props: {
  /** Prefix of the inputs' ids, e.g. `reg` gives `reg-family`. */
  idPrefix: string;
  values: Record<CorrectablePatientField, string>;
  errors: Record<string, string>;
  onChange: (field: CorrectablePatientField) => (value: string) => void;
  autoFocus?: boolean;
  /** The clinic's order for typed dates (policy); a year-first ISO date is taken under any. */
  dateOrder: DateOrder;
}) {
  const { idPrefix, values, errors, onChange, dateOrder } = props;
  const typedBirth = parseTypedDate(values.birthDate, dateOrder);
  return (
    <>
      <TextField
        id={`${idPrefix}-family`}
        label="Family name"
        value={values.family}
        onChange={onChange('family')}
        error={errors.family}
        autoFocus={props.autoFocus}
      />
      <TextField
        id={`${idPrefix}-given`}
        label="Given name"
        value={values.given}
        onChange={onChange('given')}
        error={errors.given}
      />
      <div className="date-field">
        <TextField
          id={`${idPrefix}-birthDate`}
          label={`Birth date (${dateOrder})`}
          value={values.birthDate}
          onChange={onChange('birthDate')}
          error={errors.birthDate}
          placeholder={formatTypedDate('1980-04-23', dateOrder)}
          hint={typedBirth.ok ? dateInWords(typedBirth.iso) : undefined}
        />
        <DatePicker
          id={`${idPrefix}-birthDate-picker`}
          label="Pick the birth date from a calendar"
          title="Birth date"
          value={typedBirth.ok ? typedBirth.iso : ''}
          min="1900-01-01"
          max={todayIso()}
          openAt="1970-01-01"
          onPick={(iso) => onChange('birthDate')(formatTypedDate(iso, dateOrder))}
        />
      </div>
      <SexSelect
        id={`${idPrefix}-sex`}
        value={values.sex as Sex | ''}
        onChange={onChange('sex')}
        error={errors.sex}
      />
      <TextField
        id={`${idPrefix}-phone`}
        label="Phone (optional)"
        value={values.phone}
        onChange={onChange('phone')}
        error={errors.phone}
      />
      <TextField
        id={`${idPrefix}-email`}
        label="Email (optional)"
        value={values.email}
        onChange={onChange('email')}
        error={errors.email}
      />
    </>
  );
}

export function SexSelect(props: {
  id: string;
  value: Sex | '';
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>Sex</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
      >
        <option value="">Choose…</option>
        <option value="female">Female</option>
        <option value="male">Male</option>
        <option value="other">Other</option>
        <option value="unknown">Unknown</option>
      </select>
      {props.error && (
        <span className="field-error" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}
