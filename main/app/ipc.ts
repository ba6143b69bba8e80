import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { IpcResult } from '../../shared/ipc';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc/transport';
import type { Core } from '../core';
import { isAppUrl } from '../security/content-security-policy';

/**
 * Only the app's own top-level frame may call main. A frame from anywhere else (it should never
 * exist, but defence in depth) gets FORBIDDEN_SENDER and nothing runs.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, appOrigin?: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url, appOrigin);
}

export function wireIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  core: Pick<Core, 'invoke'>,
  appOrigin?: string,
): void {
  ipcMain.handle(
    INVOKE_CHANNEL,
    async (event, channel: unknown, request: unknown): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event, appOrigin)) {
        return {
          ok: false,
          error: {
            code: 'FORBIDDEN_SENDER',
            message: 'This request did not come from the Vitals Desk window.',
          },
        };
      }
      return core.invoke(channel, request, { senderId: `webcontents-${event.sender.id}` });
    },
  );
}

/** Sends core events to each window's renderer, where the core allows it (PHI only to signed-in, unlocked roles). */
export function forwardEvents(
  core: Pick<Core, 'forwardEvents'>,
  windows: () => readonly { webContents: WebContents }[],
): () => void {
  return core.forwardEvents(() =>
    windows().map(({ webContents }) => ({
      // The same id the window's calls carry (wireIpc), so the core finds its session.
      senderId: `webcontents-${webContents.id}`,
      send: (name, payload) => {
        if (!webContents.isDestroyed()) webContents.send(EVENT_CHANNEL, name, payload);
      },
    })),
  );
}
