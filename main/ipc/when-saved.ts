/**
 * What a handler tells the windows about its change (an event) goes out only once the change and its
 * audit record are saved: a change rolled back for its record is never shown, nor sent on by sync.
 */
import type { CallContext } from './dispatcher';

export function announceWhenSaved(context: CallContext, announce: () => void): void {
  // A call the dispatcher did not make (no afterSaved) has nothing left to save: announce now.
  if (context.afterSaved) context.afterSaved(announce);
  else announce();
}
