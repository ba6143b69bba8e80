/**
 * The preload: exposes exactly the contract's bridge (`invoke`, `on`, and `dropFile` for a file dropped
 * on the window, whose path it finds itself) and nothing else.
 * It runs sandboxed, so it is bundled into one CommonJS file with only `electron` external.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, isChannelName, isEventName, type IpcResult, type VitalsBridge } from '../../shared/ipc';
import { DROP_CHANNEL, EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc/transport';
import { createDropFile } from './drop-file';

const bridge: VitalsBridge = {
  invoke(channel, request) {
    if (!isChannelName(channel)) {
      return Promise.resolve<IpcResult<unknown>>({
        ok: false,
        error: {
          code: 'UNKNOWN_CHANNEL',
          message: 'The app asked for something this version does not know how to do.',
        },
      });
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, channel, request) as Promise<IpcResult<unknown>>;
  },
  on(event, listener) {
    if (!isEventName(event)) return () => undefined;
    const forward = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
  dropFile: createDropFile({
    pathOf: (file) => webUtils.getPathForFile(file),
    sendPath: (filePath) => ipcRenderer.invoke(DROP_CHANNEL, filePath) as Promise<IpcResult<unknown>>,
  }),
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
