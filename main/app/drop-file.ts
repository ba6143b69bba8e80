/**
 * The preload's half of dropping a file on the window. The page hands over a DOM File; only a File the
 * browser made from a real file on disk (a drop, or a file input the nurse used) has a path, which
 * webUtils.getPathForFile finds here in the preload and sends to main on a channel the page cannot reach.
 * A File the page made itself has no path (''), and anything that is not a File throws: both refused.
 * No `electron` import here (the preload passes its functions in), so tests run it as it is.
 */
import type { IpcResult } from '../../shared/ipc';

const REFUSED: IpcResult<never> = {
  ok: false,
  error: {
    code: 'VALIDATION',
    message: 'Only a file from this computer can be dropped here. Drop it from a folder, or choose it.',
  },
};

export function createDropFile(deps: {
  /** webUtils.getPathForFile */
  pathOf: (file: File) => string;
  /** ipcRenderer.invoke(DROP_CHANNEL, path) */
  sendPath: (filePath: string) => Promise<IpcResult<unknown>>;
}): (file: unknown) => Promise<IpcResult<unknown>> {
  return async (file) => {
    let filePath: string;
    try {
      filePath = deps.pathOf(file as File);
    } catch {
      return REFUSED;
    }
    if (typeof filePath !== 'string' || filePath === '') return REFUSED;
    return deps.sendPath(filePath);
  };
}
