import { z } from 'zod';

/**
 * Error codes that cross the bridge. The UI maps each to words a nurse understands;
 * `message` is already such a sentence, never a stack trace or a clinical value.
 */
export const ipcErrorCodeSchema = z.enum([
  'BAD_REQUEST', // the payload failed the channel's schema
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER', // a frame other than the app's own called
  'NOT_SIGNED_IN',
  'FORBIDDEN', // signed in, but the role may not do this
  'LOCKED', // the workstation is locked
  'NOT_FOUND',
  'CONFLICT',
  'VALIDATION', // a domain rule refused the value (implausible vital, bad MRN, ...)
  'NEEDS_CONFIRMATION', // a rare but possible value: send it again with the confirmation its issues name
  'DB_KEY_INVALID',
  'DB_CORRUPT',
  'DB_TOO_NEW',
  'DB_READ_ONLY',
  'DISK_FULL',
  'DEVICE',
  'CLOCK_BEHIND', // this computer's clock is earlier than a time it already relied on (a used sign-in code)
  'UNAVAILABLE', // a service that cannot run on this machine (no Bluetooth radio, no keychain)
  'INTERNAL',
]);
export type IpcErrorCode = z.infer<typeof ipcErrorCodeSchema>;

export const ipcErrorSchema = z.object({
  code: ipcErrorCodeSchema,
  message: z.string(),
  /** Field-level problems, for forms: path within the request and a sentence. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type IpcErrorPayload = z.infer<typeof ipcErrorSchema>;

/** The envelope every invoke returns. Errors travel as data: Electron would otherwise flatten a thrown error into a string. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcErrorPayload };

/** Thrown by services in main when they refuse something for a reason the user should read. */
export class AppError extends Error {
  readonly code: IpcErrorCode;
  readonly issues: IpcErrorPayload['issues'];
  constructor(code: IpcErrorCode, message: string, issues?: IpcErrorPayload['issues']) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
  }
  toPayload(): IpcErrorPayload {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

/** Thrown by the renderer's client when main answers with an error. */
export class IpcError extends Error {
  readonly code: IpcErrorCode;
  readonly issues: IpcErrorPayload['issues'];
  constructor(payload: IpcErrorPayload) {
    super(payload.message);
    this.name = 'IpcError';
    this.code = payload.code;
    this.issues = payload.issues;
  }
}
