import { useEffect, useState } from 'react';
import type { DeviceReading } from '../../../../shared/devices/reading';
import { useClient } from '../../ipc/ClientContext';

const TRACE_SAMPLES = 75 * 5;

/**
 * Device readings waiting for the nurse (the newest per device) and the last seconds of each device's
 * waveform. Nothing here is stored: a reading becomes an observation only when accepted.
 */
export function useLiveDevices(): {
  pending: DeviceReading[];
  waveforms: ReadonlyMap<string, readonly number[]>;
  dismiss: (readingId: string) => void;
} {
  const client = useClient();
  const [pending, setPending] = useState<DeviceReading[]>([]);
  const [waveforms, setWaveforms] = useState<ReadonlyMap<string, readonly number[]>>(new Map());

  useEffect(() => {
    const offReading = client.on('devices.reading', (reading) =>
      setPending((list) => [
        ...list.filter((r) => r.provenance.deviceId !== reading.provenance.deviceId),
        reading,
      ]),
    );
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
        setWaveforms((map) => {
          if (!map.has(s.deviceId)) return map;
          const next = new Map(map);
          next.delete(s.deviceId);
          return next;
        });
      }
    });
    return () => {
      offReading();
      offWave();
      offStatus();
    };
  }, [client]);

  return {
    pending,
    waveforms,
    dismiss: (readingId) => setPending((list) => list.filter((r) => r.readingId !== readingId)),
  };
}
