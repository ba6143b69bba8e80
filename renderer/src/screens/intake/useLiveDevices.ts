import { useEffect, useRef, useState } from 'react';
import type { DeviceReading } from '../../../../shared/devices/reading';
import { useClient } from '../../ipc/ClientContext';

const TRACE_SAMPLES = 75 * 5;
/** A cuff that has said nothing for this long has stopped measuring (or gone): its pressure is not shown. */
const CUFF_QUIET_MS = 4000;

/** The map without this device's entry; the same map when it had none, so nothing re-renders. */
function withoutDevice<V>(map: ReadonlyMap<string, V>, deviceId: string): ReadonlyMap<string, V> {
  if (!map.has(deviceId)) return map;
  const next = new Map(map);
  next.delete(deviceId);
  return next;
}

export interface LiveDevices {
  /** The newest live reading of each device, oldest first (kept after a disconnect, to say so). */
  pending: DeviceReading[];
  /** Readings devices sent from their memory: listed apart, never a card's live value. */
  memory: DeviceReading[];
  /** Devices that are connected now; a reading of any other cannot be accepted. */
  connected: ReadonlySet<string>;
  /** Readings whose device went away after they came: never acceptable again, even once it is back. */
  ended: ReadonlySet<string>;
  waveforms: ReadonlyMap<string, readonly number[]>;
  cuffPressures: ReadonlyMap<string, number>;
  /** The time now, ticking each second, so a value's age and freshness show as they change. */
  now: number;
  dismiss: (readingId: string) => void;
}

/**
 * Device readings waiting for the nurse (the newest live one per device, and each device's memory
 * list), the last seconds of each device's waveform, and the pressure of each cuff that is measuring
 * now. Nothing here decides what may be filed: main does, on every accept.
 */
export function useLiveDevices(): LiveDevices {
  const client = useClient();
  const [pending, setPending] = useState<DeviceReading[]>([]);
  const [memory, setMemory] = useState<DeviceReading[]>([]);
  const [connected, setConnected] = useState<ReadonlySet<string>>(new Set());
  const [waveforms, setWaveforms] = useState<ReadonlyMap<string, readonly number[]>>(new Map());
  const [cuffPressures, setCuffPressures] = useState<ReadonlyMap<string, number>>(new Map());
  const [ended, setEnded] = useState<ReadonlySet<string>>(new Set());
  const [now, setNow] = useState(() => Date.now());
  const pendingNow = useRef(pending);
  useEffect(() => {
    pendingNow.current = pending;
  }, [pending]);

  // Ages and freshness change with time only while there is a value to show them for.
  const showing = pending.length > 0;
  useEffect(() => {
    if (!showing) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [showing]);

  useEffect(() => {
    let current = true;
    // What the devices hold already (the screen opened after they sent something).
    client.invoke('devices.list', {}).then(
      (list) => {
        if (!current) return;
        setConnected(new Set(list.devices.filter((d) => isUp(d.status.state)).map((d) => d.id)));
        setPending((shown) => (shown.length ? shown : list.devices.flatMap((d) => d.lastReading ?? [])));
        setMemory((shown) => (shown.length ? shown : list.devices.flatMap((d) => d.memory)));
      },
      () => undefined,
    );
    const quietTimers = new Map<string, ReturnType<typeof setTimeout>>();
    const endCuff = (deviceId: string) => {
      clearTimeout(quietTimers.get(deviceId));
      quietTimers.delete(deviceId);
      setCuffPressures((map) => withoutDevice(map, deviceId));
    };
    const offCuff = client.on('devices.cuffPressure', ({ deviceId, mmHg }) => {
      setCuffPressures((map) => new Map(map).set(deviceId, mmHg));
      clearTimeout(quietTimers.get(deviceId));
      quietTimers.set(
        deviceId,
        setTimeout(() => endCuff(deviceId), CUFF_QUIET_MS),
      );
    });
    const offReading = client.on('devices.reading', (reading) => {
      if (reading.origin === 'memory') {
        setMemory((list) => [...list.filter((r) => r.readingId !== reading.readingId), reading]);
        return;
      }
      // The measurement is done: its result replaces the progress.
      endCuff(reading.provenance.deviceId);
      setPending((list) => [
        ...list.filter((r) => r.provenance.deviceId !== reading.provenance.deviceId),
        reading,
      ]);
    });
    const offWave = client.on('devices.waveform', (batch) =>
      setWaveforms((map) => {
        const next = new Map(map);
        next.set(
          batch.deviceId,
          [...(map.get(batch.deviceId) ?? []), ...batch.samples].slice(-TRACE_SAMPLES),
        );
        return next;
      }),
    );
    const offStatus = client.on('devices.status', (s) => {
      const up = isUp(s.status.state);
      setConnected((set) => {
        if (set.has(s.deviceId) === up) return set;
        const next = new Set(set);
        if (up) next.add(s.deviceId);
        else next.delete(s.deviceId);
        return next;
      });
      if (!up) {
        const shown = pendingNow.current.find((r) => r.provenance.deviceId === s.deviceId);
        if (shown) setEnded((set) => (set.has(shown.readingId) ? set : new Set(set).add(shown.readingId)));
        endCuff(s.deviceId);
        setWaveforms((map) => withoutDevice(map, s.deviceId));
      }
    });
    return () => {
      current = false;
      for (const timer of quietTimers.values()) clearTimeout(timer);
      offCuff();
      offReading();
      offWave();
      offStatus();
    };
  }, [client]);

  return {
    pending,
    memory,
    connected,
    ended,
    waveforms,
    cuffPressures,
    now,
    dismiss: (readingId) => {
      setPending((list) => list.filter((r) => r.readingId !== readingId));
      setMemory((list) => list.filter((r) => r.readingId !== readingId));
    },
  };
}

function isUp(state: string): boolean {
  return state === 'connected' || state === 'reading';
}
