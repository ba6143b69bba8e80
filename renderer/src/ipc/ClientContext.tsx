import { createContext, useContext, useEffect, useState } from 'react';
import type { EventName, EventPayloadOf } from '../../../shared/ipc';
import type { VitalsClient } from './client';

export const ClientContext = createContext<VitalsClient | null>(null);

export function useClient(): VitalsClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientContext');
  return client;
}

/** The latest payload of a main → renderer event, or null before the first one. */
export function useEvent<E extends EventName>(event: E): EventPayloadOf<E> | null {
  const client = useClient();
  const [payload, setPayload] = useState<EventPayloadOf<E> | null>(null);
  useEffect(() => client.on(event, setPayload), [client, event]);
  return payload;
}
