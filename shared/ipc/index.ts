import type { z } from 'zod';
import { channels, events } from './channels';
import type { IpcResult } from './errors';

export { channels, events };
export * from './contract';
export * from './errors';

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayloadOf<E extends EventName> = z.output<Events[E]['payload']>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/**
 * The untyped bridge the preload (or the Chromium host) puts on `window.vitals`.
 * Exactly three functions: nothing else of Node or Electron reaches the renderer.
 */
export interface VitalsBridge {
  invoke(channel: string, request: unknown): Promise<IpcResult<unknown>>;
  /** Subscribes to a main → renderer event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /**
   * Hands main a file the nurse dropped on the window (a DOM `File`). The host finds where it is (the
   * preload) or copies its bytes (the Chromium host); the renderer never names a path. Answers as
   * `homeData.acceptDrop` does.
   */
  dropFile(file: unknown): Promise<IpcResult<unknown>>;
}

/** The global name of the bridge in the renderer. */
export const BRIDGE_KEY = 'vitals';
