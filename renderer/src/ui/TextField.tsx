/** A labelled input whose error, when there is one, is announced with it (aria-describedby). */
export function TextField(props: {
  /** The input's id; its error's id is derived from it. */
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  autoFocus?: boolean | undefined;
  placeholder?: string;
  type?: 'text' | 'password';
  autoComplete?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autoFocus={props.autoFocus}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? 'off'}
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
