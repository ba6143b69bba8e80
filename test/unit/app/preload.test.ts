/**
 * The preload exposes exactly the bridge. `electron` is replaced by a test double (no Electron binary here)
 * that records what the preload hands to contextBridge and sends through ipcRenderer.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DROP_CHANNEL, EVENT_CHANNEL, INVOKE_CHANNEL } from '../../../shared/ipc/transport';

const exposed: Record<string, unknown> = {};
const invoked: unknown[][] = [];
const listeners = new Map<string, ((...args: unknown[]) => void)[]>();

/** Stands in for Electron's webUtils: a File the browser made from disk has a path; one made in JS has ''. */
const diskPaths = new WeakMap<object, string>();
vi.mock('electron', () => ({
  webUtils: {
    getPathForFile: (file: unknown) => {
      if (!(file instanceof File)) throw new TypeError('Expected a File');
      return diskPaths.get(file) ?? '';
    },
  },
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    // Answers with what it was asked, so a test can tell main's answer from anything the preload made up.
    invoke: (...args: unknown[]) => (
      invoked.push(args),
      Promise.resolve({ ok: true, value: { askedFor: args[1], with: args[2] } })
    ),
    on: (channel: string, l: (...args: unknown[]) => void) =>
      listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
    removeListener: (channel: string, l: (...args: unknown[]) => void) =>
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((x) => x !== l),
      ),
  },
}));

interface Bridge {
  invoke(c: string, r: unknown): Promise<unknown>;
  dropFile(file: unknown): Promise<unknown>;
  on(e: string, l: (p: unknown) => void): () => void;
}

describe('preload', () => {
  beforeEach(async () => {
    await import('../../../main/app/preload');
  });

  it('exposes only `vitals` with invoke, on and dropFile', () => {
    expect(Object.keys(exposed)).toEqual(['vitals']);
    expect(Object.keys(exposed.vitals as object).sort()).toEqual(['dropFile', 'invoke', 'on']);
  });

  it('sends main the path of a dropped file from disk, and nothing for a file or path the page made up', async () => {
    const bridge = exposed.vitals as Bridge;
    invoked.length = 0;
    const dropped = new File(['2026-04-01 07:10,132,84'], 'cuff.csv');
    diskPaths.set(dropped, '/home/nurse/Downloads/cuff.csv');
    expect(await bridge.dropFile(dropped)).toEqual({
      ok: true,
      value: { askedFor: '/home/nurse/Downloads/cuff.csv', with: undefined },
    });
    expect(invoked).toEqual([[DROP_CHANNEL, '/home/nurse/Downloads/cuff.csv']]);
    // The attack: a page names a path, or makes a File called like one. Main is never asked.
    invoked.length = 0;
    const refused = {
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Only a file from this computer can be dropped here. Drop it from a folder, or choose it.',
      },
    };
    expect(await bridge.dropFile('/etc/passwd')).toEqual(refused);
    expect(await bridge.dropFile({ name: 'passwd', path: '/etc/passwd' })).toEqual(refused);
    expect(await bridge.dropFile(new File(['x'], '/etc/passwd'))).toEqual(refused);
    expect(invoked).toEqual([]);
  });

  it('forwards contract channels and refuses others without calling main', async () => {
    const bridge = exposed.vitals as Bridge;
    const request = { probe: 7 };
    // Main's answer comes back unchanged, for the channel and request the renderer gave.
    expect(await bridge.invoke('app.health', request)).toEqual({
      ok: true,
      value: { askedFor: 'app.health', with: { probe: 7 } },
    });
    expect(invoked).toEqual([[INVOKE_CHANNEL, 'app.health', request]]);
    expect(await bridge.invoke('shell.openExternal', { url: 'https://example.org' })).toEqual({
      ok: false,
      error: {
        code: 'UNKNOWN_CHANNEL',
        message: 'The app asked for something this version does not know how to do.',
      },
    });
    expect(invoked).toHaveLength(1);
  });

  it('delivers only the subscribed event, and unsubscribes', () => {
    const bridge = exposed.vitals as Bridge;
    const seen: unknown[] = [];
    const off = bridge.on('app.heartbeat', (p) => seen.push(p));
    const emit = (name: string, payload: unknown) =>
      listeners.get(EVENT_CHANNEL)?.forEach((l) => l({}, name, payload));
    emit('app.heartbeat', 1);
    emit('something.else', 2);
    off();
    emit('app.heartbeat', 3);
    expect(seen).toEqual([1]);
    expect(listeners.get(EVENT_CHANNEL) ?? []).toHaveLength(0);
    // An event outside the contract never reaches ipcRenderer.
    const offUnknown = bridge.on('not.an.event', () => undefined);
    expect(listeners.get(EVENT_CHANNEL) ?? []).toHaveLength(0);
    expect(offUnknown).toBeTypeOf('function');
    offUnknown();
  });
});
