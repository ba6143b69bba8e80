/**
 * The preload exposes exactly the bridge. `electron` is replaced by a test double (no Electron binary here)
 * that records what the preload hands to contextBridge and sends through ipcRenderer.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../../shared/ipc/transport';

const exposed: Record<string, unknown> = {};
const invoked: unknown[][] = [];
const listeners = new Map<string, ((...args: unknown[]) => void)[]>();

vi.mock('electron', () => ({
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
  on(e: string, l: (p: unknown) => void): () => void;
}

describe('preload', () => {
  beforeEach(async () => {
    await import('../../../main/app/preload');
  });

  it('exposes only `vitals` with invoke and on', () => {
    expect(Object.keys(exposed)).toEqual(['vitals']);
    expect(Object.keys(exposed.vitals as object).sort()).toEqual(['invoke', 'on']);
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
