import { ConfirmDialog } from '../../ui/ConfirmDialog';
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
  const { question } = props;
  return (
    <ConfirmDialog
      title="Check before saving"
      body={(id) => (
        <div id={id}>
          {question.sentences.map((sentence) => (
            <p key={sentence}>{sentence}</p>
          ))}
        </div>
      )}
      cancelLabel="Change the value"
      onCancel={props.onCancel}
      actions={
        <>
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
        </>
      }
      hint={<p className="hint">Esc goes back to the value.</p>}
      trapKeys
      testId={props.testId}
    />
  );
}
