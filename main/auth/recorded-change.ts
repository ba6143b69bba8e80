/**
 * An account change (a new account, a password, a second step, a reset and the sign-outs it causes)
 * stays only with its audit records, like every other change: the change and its records are written
 * in one transaction of the database that holds both, so when the trail cannot take the records the
 * change is rolled back and ChangeNotRecordedError makes the dispatcher answer that it was not saved.
 * Nothing is put back afterwards, so nothing else written to the account meanwhile (a failed sign-in
 * counted, a code used) can be lost with it. What the change sets off outside the database (ending
 * sessions, telling the screens) is done by the caller only after this returns.
 */
import type { AuditEvent, AuditRecorder } from '../audit/recorder';
import { ChangeNotRecordedError } from '../ipc/dispatcher';
import type { UserStore } from './user-store';

/**
 * Runs `change` and writes the records `recordsOf` names for its result, in one transaction; returns
 * the change's result, or throws ChangeNotRecordedError (or what `change` threw) with nothing saved.
 */
export function keepOnlyWithRecords<T>(
  store: Pick<UserStore, 'inTransaction'>,
  audit: AuditRecorder,
  change: () => T,
  recordsOf: (result: T) => readonly AuditEvent[],
): T {
  return store.inTransaction(() => {
    const result = change();
    if (!audit.recordAll(recordsOf(result))) throw new ChangeNotRecordedError();
    return result;
  });
}
