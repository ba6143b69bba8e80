/**
 * What a handler does beyond its saved change (tells the windows, takes a reading off the desk, keeps
 * a nurse's decision) happens only once the change and its audit record are saved: a change refused
 * for its record leaves nothing behind, is shown nowhere, and is not sent on by sync.
 */
import type { CallContext } from './dispatcher';

export function whenSaved(context: CallContext, then: () => void): void {
  // A call the dispatcher did not make (no afterSaved) has nothing left to save: now.
  if (context.afterSaved) context.afterSaved(then);
  else then();
}
