import { ConfirmDialog } from '../../ui/ConfirmDialog';

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
  return (
    <ConfirmDialog
      title={props.title}
      body={(id) => <p id={id}>{props.sentence}</p>}
      cancelLabel="Cancel"
      onCancel={props.onCancel}
      actions={
        <button type="button" className="danger" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      }
      testId="confirm-account-change"
    />
  );
}
