import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

/**
 * A modal question with a safe way out. showModal makes the rest of the screen inert; focus starts on
 * the cancel button, so a stray Enter changes nothing; Escape is the same as that button.
 */
export function ConfirmDialog(props: {
  title: string;
  /** The explanation; it must carry `id` so the dialog is described by it. */
  body: (id: string) => ReactNode;
  cancelLabel: string;
  onCancel: () => void;
  /** The buttons after the cancel one. */
  actions: ReactNode;
  /** Shown below the buttons. */
  hint?: ReactNode;
  /** Keep Tab inside and the screen's Alt shortcuts from acting behind the dialog. */
  trapKeys?: boolean;
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

  return (
    <dialog
      ref={ref}
      className="confirm-entry"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid={props.testId}
      onKeyDown={props.trapKeys ? keepKeys : undefined}
      onCancel={(event) => {
        // Escape: the dialog closes through React state, so the screen decides where focus goes.
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.body(bodyId)}
      <div className="confirm-actions">
        <button type="button" ref={cancelRef} className="secondary" onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
        {props.actions}
      </div>
      {props.hint}
    </dialog>
  );
}
