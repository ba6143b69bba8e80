/** A reader not written yet: says so as a problem instead of guessing. Removed once every format reads. */
import type { HomeImportEvent, HomeImportInput } from './events';

export async function* pendingReader(_input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
  yield { type: 'problem', problem: { severity: 'error', message: 'This kind of file cannot be read yet.' } };
}
