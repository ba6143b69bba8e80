import {
  AppError,
  channels,
  type IpcErrorCode,
  isChannelName,
  type ChannelName,
  type IpcResult,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../shared/ipc';
import type { Logger } from '../logging/logger';

/** Who is calling, as far as main knows. Filled in by the host (Electron shell or Chromium host). */
export interface CallContext {
  /** Identifies the window/page; lets services keep per-window state. */
  readonly senderId: string;
  /**
   * A file the nurse dropped on that window, as the window host found it (the preload's
   * webUtils.getPathForFile, or the Chromium host's private copy of the dropped bytes). Set only by the
   * host, never from the renderer's request: main reads no path the page names.
   */
  readonly droppedFile?: { readonly path: string; readonly fileName: string };
  /**
   * Set by the dispatcher: a handler whose change is kept outside one database transaction (a device
   * pairing, with its connection) says here how to undo it. The dispatcher undoes it when the change's
   * audit record cannot be written, so no change stays without its record.
   */
  readonly undoIfUnrecorded?: (undo: () => void | Promise<void>) => void;
  /**
   * Set by the dispatcher: what a handler announces about its change (an event to the windows) is
   * run only once the change and its audit record are both saved, so no screen shows a change that
   * was rolled back.
   */
  readonly afterSaved?: (announce: () => void) => void;
}

export type Handler<C extends ChannelName> = (
  request: ParsedRequestOf<C>,
  context: CallContext,
) => Promise<ResponseOf<C>> | ResponseOf<C>;

/** One handler per channel: the type makes a missing implementation a compile error. */
export type Handlers = { [C in ChannelName]: Handler<C> };

/**
 * Decides whether a call may go ahead, given the channel's declared access.
 * Throws AppError (NOT_SIGNED_IN, FORBIDDEN, LOCKED) to refuse.
 */
export type Authorizer = (channel: ChannelName, context: CallContext) => void;

export const allowAll: Authorizer = () => undefined;

export const AUDIT_NOT_RECORDED =
  'This could not be written to the audit trail, so it is not shown. Anything you saved is kept; please call IT support.';

/**
 * Thrown by a handler that writes its change's audit record itself (a settings change, with its old and
 * new values) when that record could not be written: the dispatcher then undoes the change as it does
 * when its own record fails (CallContext.undoIfUnrecorded) and gives the same answer. A handler whose
 * change was rolled back with its record (an account change, in one transaction) registers no undo:
 * the answer still says the change was not saved.
 */
export class ChangeNotRecordedError extends Error {
  constructor() {
    super('audit record not written');
    this.name = 'ChangeNotRecordedError';
  }
}

/** What the dispatcher tells the audit hook about one call to a known channel (not a malformed one). */
export interface DispatchedCall {
  readonly channel: ChannelName;
  readonly context: CallContext;
  /** The parsed request; the raw one when the call was refused (refusal comes before validation). */
  readonly request: unknown;
  /** `denied`: the authorizer refused; `failure`: the handler refused or failed. */
  readonly outcome: 'success' | 'failure' | 'denied';
  /** The checked answer, on success. */
  readonly response?: unknown;
  readonly errorCode?: IpcErrorCode;
}

export interface Dispatcher {
  dispatch(channel: unknown, request: unknown, context: CallContext): Promise<IpcResult<unknown>>;
}

export function createDispatcher(options: {
  handlers: Handlers;
  authorize: Authorizer;
  logger: Logger;
  /**
   * Called after every call that was refused, failed or succeeded (the audit trail decides what to
   * record). It throws when a record it had to write could not be written: the answer is then withheld.
   */
  audit?: (call: DispatchedCall) => void;
  /**
   * For channels whose change must be saved with its audit record or not at all: runs `work` in one
   * database transaction (rolled back when it throws). Such a channel's handler must be synchronous.
   */
  atomic?: (channel: ChannelName) => (<T>(work: () => T) => T) | undefined;
  /** What a refused change says when its audit record could not be written. */
  changeNotRecordedMessage?: string;
}): Dispatcher {
  const { handlers, authorize, logger } = options;
  /** Whether the audit hook did its part; false when it threw. */
  const audit = (call: DispatchedCall): boolean => {
    try {
      options.audit?.(call);
      return true;
    } catch (error) {
      logger.error('ipc.audit_failed', { channel: call.channel, error: errorName(error) });
      return false;
    }
  };
  /** Undoes a change whose record could not be written, newest step first. */
  const undoAll = async (
    undos: readonly (() => void | Promise<void>)[],
    channel: ChannelName,
  ): Promise<boolean> => {
    let undone = true;
    for (const undo of [...undos].reverse()) {
      try {
        await undo();
      } catch (error) {
        // Logged for IT: the change may stand without its record (the log names the channel only).
        logger.error('ipc.undo_failed', { channel, error: errorName(error) });
        undone = false;
      }
    }
    return undone;
  };
  /**
   * The answer to a call whose audit record could not be written: its change undone, if it made one. A
   * change the handler left to be made once saved (`deferred`) was not made at all.
   */
  const refuseUnrecorded = async (
    undos: readonly (() => void | Promise<void>)[],
    channel: ChannelName,
    deferred: boolean,
  ): Promise<IpcResult<never>> => {
    if (undos.length === 0) {
      const message = deferred ? options.changeNotRecordedMessage : undefined;
      return { ok: false, error: { code: 'UNAVAILABLE', message: message ?? AUDIT_NOT_RECORDED } };
    }
    const undone = await undoAll(undos, channel);
    const message = undone ? options.changeNotRecordedMessage : undefined;
    return { ok: false, error: { code: 'UNAVAILABLE', message: message ?? AUDIT_NOT_RECORDED } };
  };
  return {
    async dispatch(channelName, request, context) {
      if (!isChannelName(channelName)) {
        return fail('UNKNOWN_CHANNEL', 'The app asked for something this version does not know how to do.');
      }
      const definition = channels[channelName];
      // Who may call comes first: a caller without the right gets no hint of what a valid request is.
      try {
        authorize(channelName, context);
      } catch (error) {
        if (error instanceof AppError) {
          audit({
            channel: channelName,
            context,
            request,
            outcome: 'denied',
            errorCode: error.code,
          });
          return { ok: false, error: error.toPayload() };
        }
        logger.error('ipc.authorize_failed', { channel: channelName, error: errorName(error) });
        return fail(
          'INTERNAL',
          'Something went wrong in the app. What was already saved is safe; please try again.',
        );
      }
      const parsed = definition.request.safeParse(request ?? {});
      if (!parsed.success) {
        // Log the shape of the problem (paths and codes), never the values: they may be PHI.
        logger.warn('ipc.bad_request', {
          channel: channelName,
          issues: parsed.error.issues.map((i) => `${i.path.join('.')}:${i.code}`),
        });
        return {
          ok: false,
          error: {
            code: 'BAD_REQUEST',
            message: 'Some of the information sent was not in the expected form.',
            issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          },
        };
      }
      const handler = handlers[channelName] as Handler<typeof channelName>;
      const atomic = options.atomic?.(channelName);
      /** The handler's announcements, run once its change and record are saved. */
      const saved: (() => void)[] = [];
      const announceSaved = () => {
        for (const announce of saved) {
          try {
            announce();
          } catch (error) {
            logger.error('ipc.announce_failed', { channel: channelName, error: errorName(error) });
          }
        }
      };
      if (atomic) {
        let unrecorded = false;
        try {
          const value = atomic(() => {
            const result: unknown = handler(parsed.data as never, {
              ...context,
              afterSaved: (announce) => saved.push(announce),
            });
            if (result instanceof Promise)
              throw new Error('An atomic channel’s handler must be synchronous.');
            const checked = definition.response.safeParse(result);
            if (!checked.success) throw new BadResponseError(checked.error.issues);
            // The record is written inside the change's transaction: if it cannot be, neither is the change.
            if (
              !audit({
                channel: channelName,
                context,
                request: parsed.data,
                outcome: 'success',
                response: checked.data,
              })
            ) {
              unrecorded = true;
              throw new Error('audit record not written');
            }
            return checked.data;
          });
          announceSaved();
          return { ok: true, value };
        } catch (error) {
          if (unrecorded)
            return {
              ok: false,
              error: { code: 'UNAVAILABLE', message: options.changeNotRecordedMessage ?? AUDIT_NOT_RECORDED },
            };
          if (error instanceof BadResponseError) {
            logger.error('ipc.bad_response', { channel: channelName, issues: error.issues });
            return fail('INTERNAL', 'The app produced an answer it could not check. Nothing was changed.');
          }
          const errorCode = error instanceof AppError ? error.code : 'INTERNAL';
          audit({ channel: channelName, context, request: parsed.data, outcome: 'failure', errorCode });
          if (error instanceof AppError) return { ok: false, error: error.toPayload() };
          logger.error('ipc.handler_failed', { channel: channelName, error: errorName(error) });
          return fail(
            'INTERNAL',
            'Something went wrong in the app. What was already saved is safe; please try again.',
          );
        }
      }
      const undos: (() => void | Promise<void>)[] = [];
      try {
        const value = await handler(parsed.data as never, {
          ...context,
          undoIfUnrecorded: (undo) => undos.push(undo),
          afterSaved: (announce) => saved.push(announce),
        });
        // Parse the answer too: it strips fields the contract does not declare, so nothing leaks by accident.
        const checked = definition.response.safeParse(value);
        if (!checked.success) {
          logger.error('ipc.bad_response', {
            channel: channelName,
            issues: checked.error.issues.map((i) => `${i.path.join('.')}:${i.code}`),
          });
          return fail(
            'INTERNAL',
            'The app produced an answer it could not check. Nothing was changed by showing it.',
          );
        }
        const recorded = audit({
          channel: channelName,
          context,
          request: parsed.data,
          outcome: 'success',
          response: checked.data,
        });
        // Fail closed: an answer whose audit record could not be written is not given, and a change
        // that cannot be recorded is undone.
        if (!recorded) return await refuseUnrecorded(undos, channelName, saved.length > 0);
        announceSaved();
        return { ok: true, value: checked.data };
      } catch (error) {
        // The handler says its change is not kept: either undone here, or never saved at all.
        if (error instanceof ChangeNotRecordedError) return await refuseUnrecorded(undos, channelName, true);
        const errorCode = error instanceof AppError ? error.code : 'INTERNAL';
        audit({ channel: channelName, context, request: parsed.data, outcome: 'failure', errorCode });
        if (error instanceof AppError) return { ok: false, error: error.toPayload() };
        logger.error('ipc.handler_failed', { channel: channelName, error: errorName(error) });
        return fail(
          'INTERNAL',
          'Something went wrong in the app. What was already saved is safe; please try again.',
        );
      }
    },
  };
}

/** A handler's answer the contract refused (inside an atomic change, which it rolls back). */
class BadResponseError extends Error {
  readonly issues: string[];
  constructor(issues: readonly { path: PropertyKey[]; code: string }[]) {
    super('bad response');
    this.issues = issues.map((i) => `${i.path.map(String).join('.')}:${i.code}`);
  }
}

function fail(code: 'UNKNOWN_CHANNEL' | 'INTERNAL', message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

/** The class and message of an unexpected error, without a stack (which may hold values). */
function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}
