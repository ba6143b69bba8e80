import { useEffect, useState } from 'react';
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

/**
 * Device readings waiting for the nurse (the newest per device), the last seconds of each device's
 * waveform, and the pressure of each cuff that is measuring now. Nothing here is stored: a reading
 * becomes an observation only when accepted.
 */
export function useLiveDevices(): {
  pending: DeviceReading[];
  waveforms: ReadonlyMap<string, readonly number[]>;
  cuffPressures: ReadonlyMap<string, number>;
  dismiss: (readingId: string) => void;
} {
  const client = useClient();
  const [pending, setPending] = useState<DeviceReading[]>([]);
  const [waveforms, setWaveforms] = useState<ReadonlyMap<string, readonly number[]>>(new Map());
  const [cuffPressures, setCuffPressures] = useState<ReadonlyMap<string, number>>(new Map());

  useEffect(() => {
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
      if (s.status.state === 'disconnected' || s.status.state === 'error') {
        endCuff(s.deviceId);
        setWaveforms((map) => withoutDevice(map, s.deviceId));
      }
    });
    return () => {
      for (const timer of quietTimers.values()) clearTimeout(timer);
      offCuff();
      offReading();
      offWave();
      offStatus();
    };
  }, [client]);

  return {
    pending,
    waveforms,
    cuffPressures,
    dismiss: (readingId) => setPending((list) => list.filter((r) => r.readingId !== readingId)),
  };
}
