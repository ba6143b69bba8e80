import { useEffect, useId, useRef, type KeyboardEvent } from 'react';

export interface ChooserOption {
  /** The device: its newest value when chosen is the one accepted (a streaming device moves on). */
  deviceId: string;
  readingId: string;
  deviceName: string;
  values: string;
  age: string;
}

/**
 * Alt+A with no card focused and more than one device holding a fresh value: which one? Modal and
 * small: device, values and age; Enter or a click accepts that one, Escape accepts none.
 */
export function AcceptChooser(props: {
  options: readonly ChooserOption[];
  onChoose: (deviceId: string) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    first.current?.focus();
    return () => dialog.close();
  }, []);
  // No other Alt shortcut acts behind the question (a patient change would file it elsewhere).
  const keepAlt = (event: KeyboardEvent) => {
    if (event.altKey) event.stopPropagation();
  };
  return (
    <dialog
      ref={ref}
      className="accept-chooser"
      aria-labelledby={titleId}
      data-testid="accept-chooser"
      onKeyDown={keepAlt}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={titleId}>Accept which reading?</h2>
      <ul>
        {props.options.map((o, i) => (
          <li key={o.readingId}>
            <button
              type="button"
              ref={i === 0 ? first : undefined}
              onClick={() => props.onChoose(o.deviceId)}
            >
              <strong>{o.deviceName}</strong> <span>{o.values}</span> <span className="hint">{o.age}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="confirm-actions">
        <button type="button" className="secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
