import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { IpcResult } from '../../shared/ipc';
import path from 'node:path';
import { DROP_CHANNEL, EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc/transport';
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

/** The answer to a call from any other frame: nothing runs. */
const FORBIDDEN_SENDER: IpcResult<never> = {
  ok: false,
  error: { code: 'FORBIDDEN_SENDER', message: 'This request did not come from the Vitals Desk window.' },
};

export function wireIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  core: Pick<Core, 'invoke'>,
  appOrigin?: string,
): void {
  ipcMain.handle(
    INVOKE_CHANNEL,
    async (event, channel: unknown, request: unknown): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event, appOrigin)) return FORBIDDEN_SENDER;
      return core.invoke(channel, request, { senderId: `webcontents-${event.sender.id}` });
    },
  );
}

/**
 * A file dropped on the window: the preload found its path (webUtils.getPathForFile of a File the page
 * cannot forge) and sends it here, on a channel the page has no way to reach (ipcRenderer is not
 * exposed). Main takes it as the nurse's act, like a choice in the open-file dialog, and the page only
 * ever gets a token for it. An absolute path only; the same sender check as every call.
 */
export function wireDroppedFiles(
  ipcMain: Pick<IpcMain, 'handle'>,
  core: Pick<Core, 'invoke'>,
  appOrigin?: string,
): void {
  ipcMain.handle(DROP_CHANNEL, async (event, filePath: unknown): Promise<IpcResult<unknown>> => {
    if (!isTrustedSender(event, appOrigin)) return FORBIDDEN_SENDER;
    if (typeof filePath !== 'string' || filePath.length > 4096 || !path.isAbsolute(filePath)) {
      return { ok: false, error: { code: 'BAD_REQUEST', message: 'That dropped file could not be opened.' } };
    }
    return core.invoke(
      'homeData.acceptDrop',
      {},
      {
        senderId: `webcontents-${event.sender.id}`,
        droppedFile: { path: filePath, fileName: path.basename(filePath) },
      },
    );
  });
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
