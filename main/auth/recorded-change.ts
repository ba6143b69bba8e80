/**
 * An account change (a new account, a password, a second step) stays only with its audit record, like
 * every other change (see CallContext.undoIfUnrecorded and the settings handler): when its record
 * cannot be written the change is put back as it was and ChangeNotRecordedError makes the dispatcher
 * answer that it was not saved. What the change would set off (signing other windows out, telling the
 * screens) is done by the caller only after this returns.
 */
import type { AuditEvent, AuditRecorder } from '../audit/recorder';
import { ChangeNotRecordedError, type CallContext } from '../ipc/dispatcher';

/** The dispatcher's part of a call; absent when a flow is called directly (its undo then runs here). */
export type ChangeCall = Pick<CallContext, 'undoIfUnrecorded'>;

export function keepOnlyWithRecord(
  audit: AuditRecorder,
  call: ChangeCall | undefined,
  event: AuditEvent,
  undo: () => void,
): void {
  if (call?.undoIfUnrecorded) call.undoIfUnrecorded(undo);
  if (!audit.record(event)) {
    if (!call?.undoIfUnrecorded) undo();
    throw new ChangeNotRecordedError();
  }
}
