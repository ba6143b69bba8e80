/** Names of the two Electron IPC channels that carry the whole contract (see main/app/ipc.ts and the preload). */
export const INVOKE_CHANNEL = 'vitals:invoke';
export const EVENT_CHANNEL = 'vitals:event';
/** Preload → main only: the path of a file dropped on the window (found by the preload, never named by the page). */
export const DROP_CHANNEL = 'vitals:drop-file';
