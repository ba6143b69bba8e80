import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import type { EntryQuestion } from './entry-question';

/**
 * The second confirmation of a rare value or a jump. Modal: the rest of the screen is inert, Tab stays
 * inside, Escape goes back to the entry. Focus starts on "Change the value", so the Enter that opened the
 * dialog, or a second one, never saves: saving takes a deliberate choice of a button.
 */
export function ConfirmEntryDialog(props: {
  question: EntryQuestion;
  onSave: () => void;
  onAlternative: () => void;
  onCancel: () => void;
  testId: string;
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

  // showModal keeps focus out of the page, but Tab could still leave for the browser's own UI: wrap it.
  const keepKeys = (event: KeyboardEvent<HTMLDialogElement>) => {
    // The screen's Alt shortcuts listen on the window: none may act (change patient, accept a reading)
    // behind an open question, or its answer could be filed somewhere else.
    if (event.altKey) {
      event.stopPropagation();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const buttons = [...ref.current.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')];
    const first = buttons[0];
    const last = buttons.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const { question } = props;
  return (
    <dialog
      ref={ref}
      className="confirm-entry"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid={props.testId}
      onKeyDown={keepKeys}
      onCancel={(event) => {
        // Escape: the dialog closes through React state, so the card decides where focus goes.
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={titleId}>Check before saving</h2>
      <div id={bodyId}>
        {question.sentences.map((sentence) => (
          <p key={sentence}>{sentence}</p>
        ))}
      </div>
      <div className="confirm-actions">
        <button type="button" ref={cancelRef} className="secondary" onClick={props.onCancel}>
          Change the value
        </button>
        {question.alternativeLabel && (
          <button type="button" onClick={props.onAlternative}>
            {question.alternativeLabel}
          </button>
        )}
        <button
          type="button"
          className={question.alternativeLabel ? 'secondary' : undefined}
          onClick={props.onSave}
        >
          {question.saveLabel}
        </button>
      </div>
      <p className="hint">Esc goes back to the value.</p>
    </dialog>
  );
}
