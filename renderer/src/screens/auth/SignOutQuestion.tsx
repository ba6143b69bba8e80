import { useState } from 'react';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { typedButUnsaved } from '../intake/unsaved-values';

/** What is typed on the open patient's vital cards and not saved, and whose record that is. */
interface Unsaved {
  patient: string;
  values: string[];
  /** Whose work it is: never shown to anyone else (a lock and a switch of user may come meanwhile). */
  userId: string;
}

/** Read from the signed-in user's screens as shown (intake kept while she is on another screen). */
function unsavedWork(userId: string): Unsaved | null {
  // Only the signed-in user's workspace is in the document; another user's kept work is not.
  const grid = document.querySelector('.workspace .vitals-grid');
  const values = typedButUnsaved(grid);
  if (values.length === 0) return null;
  const patient =
    grid?.closest('.intake')?.querySelector('.banner-name')?.textContent?.trim() ?? 'the open patient';
  return { patient, values, userId };
}

/** The first card field holding a typed value, once intake is shown again (a few frames at most). */
function focusFirstTyped(framesLeft: number): void {
  requestAnimationFrame(() => {
    const field = [...document.querySelectorAll<HTMLInputElement>('.workspace .vitals-grid input')].find(
      (input) => input.type !== 'checkbox' && input.type !== 'hidden' && input.value.trim() !== '',
    );
    // Hidden (intake not shown yet) or the closing dialog still holding focus: try the next frame.
    if (field && field.offsetParent !== null && !document.querySelector('dialog[open]')) field.focus();
    else if (framesLeft > 0) focusFirstTyped(framesLeft - 1);
  });
}

/**
 * Sign out ends the user's kept work. Values typed on a card and not saved would go with it unseen, so
 * it asks first, as changing patient does; with nothing unsaved it signs out at once.
 */
export function useSignOutQuestion(signOut: () => void, activeUserId: string | null) {
  const [asking, setAsking] = useState<Unsaved | null>(null);
  const ask = () => {
    if (!activeUserId) return;
    const unsaved = unsavedWork(activeUserId);
    if (unsaved) setAsking(unsaved);
    else signOut();
  };
  const stay = () => {
    setAsking(null);
    // Back to intake (she may have asked from Settings), on the first value she typed, to save it.
    if (!window.location.hash.startsWith('#/intake')) window.location.hash = '#/intake';
    focusFirstTyped(20);
  };
  // Only while the user who asked is signed in and unlocked here.
  const question =
    asking && asking.userId === activeUserId ? (
      <ConfirmDialog
        title="Sign out?"
        body={(id) => (
          <p id={id}>
            Typed but not saved for {asking.patient}: {asking.values.join('; ')}. Signing out loses them.
          </p>
        )}
        cancelLabel="Stay and save them"
        onCancel={stay}
        actions={
          <button
            type="button"
            className="danger"
            onClick={() => {
              setAsking(null);
              signOut();
            }}
          >
            Sign out without saving
          </button>
        }
        trapKeys
        testId="sign-out-dialog"
      />
    ) : null;
  return { ask, question };
}
