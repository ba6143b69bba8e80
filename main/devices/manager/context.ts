/**
 * What the device manager's parts share: the pairings store, the event bus, the live state of each
 * device (status, battery, last reading, connection) and the two helpers that publish status.
 */
import type { DeviceReading, WaveformBatch } from '../../../shared/devices/reading';
import type { DeviceEntry } from '../../../shared/ipc/channels/devices';
import type { EventBus } from '../../ipc/event-bus';
import type { Logger } from '../../logging/logger';
import type { AllowedDevice, AllowedDeviceStore, DeviceConnection, DeviceStatus } from '../types';

export type Battery = NonNullable<DeviceEntry['battery']>;

export interface LiveDevice {
  status: DeviceStatus;
  battery: Battery | null;
  info: DeviceEntry['info'];
  /** The newest live reading (never one from the device's memory). */
  lastReading: DeviceReading | null;
  /** The connection session the last reading came in: a reading from before a drop stays unacceptable. */
  lastReadingSession: number;
  /**
   * The live values a newer one replaced in the last few seconds, newest last, each with the connection
   * session it came in: the one on the nurse's screen as she pressed may be among them (see acceptance.ts).
   */
  superseded: { reading: DeviceReading; session: number }[];
  /** Readings the device sent from its memory, waiting for the nurse to accept the ones of this visit. */
  memory: DeviceReading[];
  /** The device's own clock, where it has one we can read or set. */
  clock: { writable: boolean; offsetMs?: number | undefined } | null;
  /** The nurse asked for this device to be connected; drops are then retried. */
  wanted: boolean;
  connection: DeviceConnection | undefined;
  /** Bumped on every connect attempt, so callbacks of an older connection are ignored. */
  session: number;
  attempt: number;
  /** A connect attempt is under way: its failure is reported by whoever started it, not by the sink. */
  opening: boolean;
  /** Between a drop and the device's return: keep saying "reconnecting" rather than each attempt's status. */
  reconnecting: boolean;
  reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  wave: {
    signal: WaveformBatch['signal'];
    sampleRateHz: number;
    pending: number[];
    nextSample: number;
    timer: ReturnType<typeof setTimeout> | undefined;
  } | null;
}

export interface ManagerContext {
  store: AllowedDeviceStore;
  events: Pick<EventBus, 'emit'>;
  logger: Logger;
  live: Map<string, LiveDevice>;
  isClosed(): boolean;
  liveOf(id: string): LiveDevice;
  findDevice(id: string): AllowedDevice;
  publishStatus(id: string, state: LiveDevice): void;
  setStatus(id: string, status: DeviceStatus): void;
}

export function createManagerContext(deps: {
  store: AllowedDeviceStore;
  events: Pick<EventBus, 'emit'>;
  logger: Logger;
  isClosed: () => boolean;
  notFound: () => Error;
}): ManagerContext {
  const live = new Map<string, LiveDevice>();
  const liveOf = (id: string): LiveDevice => {
    let entry = live.get(id);
    if (!entry) {
      entry = {
        status: { state: 'disconnected' },
        battery: null,
        info: {},
        lastReading: null,
        lastReadingSession: -1,
        superseded: [],
        memory: [],
        clock: null,
        wanted: false,
        connection: undefined,
        session: 0,
        attempt: 0,
        opening: false,
        reconnecting: false,
        reconnectTimer: undefined,
        wave: null,
      };
      live.set(id, entry);
    }
    return entry;
  };
  const publishStatus = (id: string, state: LiveDevice) => {
    deps.events.emit('devices.status', {
      deviceId: id,
      status: state.status,
      battery: state.battery,
      clock: state.clock,
      info: state.info,
    });
  };
  return {
    store: deps.store,
    events: deps.events,
    logger: deps.logger,
    live,
    isClosed: deps.isClosed,
    liveOf,
    findDevice(id) {
      const device = deps.store.list().find((d) => d.id === id);
      if (!device) throw deps.notFound();
      return device;
    },
    publishStatus,
    setStatus(id, status) {
      const state = liveOf(id);
      state.status = status;
      publishStatus(id, state);
    },
  };
}
