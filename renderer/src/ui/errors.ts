import { IpcError } from '../../../shared/ipc';

/** The sentence to show for a failed call: main's own words when it sent some, else a safe generic one. */
export function errorText(error: unknown): string {
  if (error instanceof IpcError) return error.message;
  return 'Something went wrong. What was already saved is safe; please try again.';
}

/** Field-level messages from a BAD_REQUEST or VALIDATION error, keyed by field path. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof IpcError) || !error.issues) return {};
  return Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
}
