/**
 * Delivers main → renderer events to windows, each only to the windows allowed to receive it: public
 * events to every window; the others only to a window with a signed-in, unlocked session whose role
 * the event's contract lists (shared/ipc: `access`). Checked at each delivery, so a window that locks,
 * signs out or is taken over by another role stops receiving patient data at once.
 */
import { events as contract, type EventName } from '../../shared/ipc';
import type { Role } from '../../shared/ipc/contract';
import type { EventBus } from './event-bus';

/** A renderer to deliver to, known by the same sender id its calls carry. */
export interface EventWindow {
  readonly senderId: string;
  send(name: EventName, payload: unknown): void;
}

export interface EventFanOut {
  /** Sends each event to each of `windows()` that may receive it; returns the unsubscribe. */
  forward(windows: () => readonly EventWindow[]): () => void;
  /** Whether the window `senderId` may receive `name` now. */
  mayReceive(senderId: string, name: EventName): boolean;
}

export function createEventFanOut(deps: {
  events: EventBus;
  /** The role of the window's signed-in, unlocked session past its sign-in steps, or null. */
  activeRoleOf: (senderId: string) => Role | null;
}): EventFanOut {
  const mayReceive = (senderId: string, name: EventName): boolean => {
    const access = contract[name].access;
    if (access === 'public') return true;
    const role = deps.activeRoleOf(senderId);
    return role !== null && access.includes(role);
  };
  return {
    mayReceive,
    forward(windows) {
      return deps.events.subscribe((name, payload) => {
        for (const window of windows()) if (mayReceive(window.senderId, name)) window.send(name, payload);
      });
    },
  };
}
