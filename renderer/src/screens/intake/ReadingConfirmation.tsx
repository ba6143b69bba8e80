import { errorText } from '../../ui/errors';
import { ConfirmEntryDialog } from './ConfirmEntryDialog';
import type { useReadingActions } from './useReadingActions';

/** A rare value from a device: the same second confirmation as a typed one, before main files it. */
export function ReadingConfirmation(props: { actions: ReturnType<typeof useReadingActions> }) {
  const { question, closeQuestion, answerQuestion, announce } = props.actions;
  if (!question) return null;
  return (
    <ConfirmEntryDialog
      question={question.question}
      testId="reading-confirmation"
      onCancel={closeQuestion}
      onAlternative={closeQuestion}
      onSave={() => {
        answerQuestion().catch((e: unknown) => {
          closeQuestion();
          announce(e instanceof Error && e.name === 'Error' ? e.message : errorText(e));
        });
      }}
    />
  );
}
