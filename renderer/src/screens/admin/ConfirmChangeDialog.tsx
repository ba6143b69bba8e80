import { useEffect, useId, useRef } from 'react';

/**
 * Asks before an account change that is hard to take back at once (switching an account off, making
 * someone an administrator). Focus starts on Cancel, so a stray Enter changes nothing.
 */
export function ConfirmChangeDialog(props: {
  title: string;
  sentence: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm-entry"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid="confirm-account-change"
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      <p id={bodyId}>{props.sentence}</p>
      <div className="confirm-actions">
        <button type="button" ref={cancelRef} className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
