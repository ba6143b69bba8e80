import {
  BRIDGE_KEY,
  IpcError,
  type ChannelName,
  type EventName,
  type EventPayloadOf,
  type RequestOf,
  type ResponseOf,
  type VitalsBridge,
} from '../../../shared/ipc';

/** The renderer's only way to main: typed from the contract, errors thrown as IpcError. */
export interface VitalsClient {
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
  /** A file dropped on the window, handed to main by the host (the page never learns or names its path). */
  dropFile(file: File): Promise<ResponseOf<'homeData.acceptDrop'>>;
}

export function createClient(bridge: VitalsBridge): VitalsClient {
  return {
    async invoke(channel, request) {
      const result = await bridge.invoke(channel, request);
      if (!result.ok) throw new IpcError(result.error);
      return result.value as ResponseOf<typeof channel>;
    },
    on(event, listener) {
      return bridge.on(event, (payload) => listener(payload as EventPayloadOf<typeof event>));
    },
    async dropFile(file) {
      const result = await bridge.dropFile(file);
      if (!result.ok) throw new IpcError(result.error);
      return result.value as ResponseOf<'homeData.acceptDrop'>;
    },
  };
}

export function bridgeFromWindow(): VitalsBridge {
  const bridge = (window as unknown as Record<string, VitalsBridge | undefined>)[BRIDGE_KEY];
  if (!bridge) {
    throw new Error(
      'Vitals Desk must be opened from its own app window: the connection to the workstation is missing.',
    );
  }
  return bridge;
}
