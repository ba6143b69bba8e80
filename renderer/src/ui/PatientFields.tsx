/** Form fields for a patient's details, shared by registration and correction so both read the same. */
import type { Sex } from '../../../shared/records';

export function TextField(props: {
  /** The input's id; its error's id is derived from it. */
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  autoFocus?: boolean;
  placeholder?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        value={props.value}
        autoFocus={props.autoFocus}
        placeholder={props.placeholder}
        autoComplete="off"
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
      />
      {props.error && (
        <span className="field-error" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </div>
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
