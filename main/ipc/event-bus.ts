import { events, type EventName, type EventPayloadOf } from '../../shared/ipc';

export type EventListener = (name: EventName, payload: unknown) => void;

/**
 * Main → renderer events. Services emit typed payloads; each host (Electron window,
 * Chromium page, a test) subscribes once and forwards everything to its renderer.
 * Payloads are validated here so a renderer never receives what the contract does not declare.
 */
export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventPayloadOf<E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(name, payload) {
      const checked = events[name].payload.parse(payload);
      for (const listener of listeners) listener(name, checked);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
