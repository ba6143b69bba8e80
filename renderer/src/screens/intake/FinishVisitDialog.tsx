import { useEffect, useId, useRef } from 'react';

/**
 * "Finish this visit?" with what would be left behind: values typed on the cards but not saved, and
 * saved values not yet sent to the care team. Focus starts on "Keep the visit open", so a stray Enter
 * never finishes it.
 */
export function FinishVisitDialog(props: {
  unsaved: readonly string[];
  unsent: readonly string[];
  onFinish: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    keepRef.current?.focus();
    return () => dialog.close();
  }, []);
  const nothingLeft = props.unsaved.length === 0 && props.unsent.length === 0;
  return (
    <dialog
      ref={ref}
      className="confirm-entry finish-visit"
      aria-labelledby={titleId}
      data-testid="finish-visit-dialog"
      onKeyDown={(event) => {
        // The screen's Alt shortcuts must not act behind the question.
        if (event.altKey) event.stopPropagation();
      }}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={titleId}>Finish this visit?</h2>
      {nothingLeft && <p>Every value is saved and sent.</p>}
      {props.unsaved.length > 0 && (
        <>
          <p>Typed but not saved (these will be lost):</p>
          <ul data-testid="finish-unsaved">
            {props.unsaved.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
      {props.unsent.length > 0 && (
        <>
          <p>Saved but not yet sent to the care team (they are sent later on their own):</p>
          <ul data-testid="finish-unsent">
            {props.unsent.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
      <div className="confirm-actions">
        <button type="button" ref={keepRef} className="secondary" onClick={props.onCancel}>
          Keep the visit open
        </button>
        <button type="button" onClick={props.onFinish}>
          Finish visit
        </button>
      </div>
    </dialog>
  );
}
