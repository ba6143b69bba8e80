import { useEffect, useRef, useState } from 'react';
import type { BluetoothState, DeviceEntry } from '../../../../shared/ipc/channels/devices';
import type { DeviceReading } from '../../../../shared/devices/reading';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';

export interface DevicesState {
  devices: DeviceEntry[];
  bluetooth: BluetoothState | null;
  drivers: { id: string; transport: 'ble' | 'serial'; name: string }[];
  error: string | null;
  reload: () => void;
}

/**
 * The allowed devices with live status, kept current by main's events. One subscription feeds the
 * intake devices panel and the Devices screen alike.
 */
export function useDevices(): DevicesState {
  const client = useClient();
  const [devices, setDevices] = useState<DeviceEntry[]>([]);
  const [bluetooth, setBluetooth] = useState<BluetoothState | null>(null);
  const [drivers, setDrivers] = useState<DevicesState['drivers']>([]);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const knownIds = useRef(new Set<string>());

  useEffect(() => {
    knownIds.current = new Set(devices.map((d) => d.id));
  }, [devices]);

  useEffect(() => {
    let current = true;
    client.invoke('devices.list', {}).then(
      (list) => {
        if (!current) return;
        setDevices(list.devices);
        setBluetooth(list.bluetooth);
        setDrivers(list.drivers);
        setError(null);
      },
      (e: unknown) => current && setError(errorText(e)),
    );
    const offStatus = client.on('devices.status', (s) =>
      setDevices((list) =>
        list.map((d) =>
          d.id === s.deviceId
            ? {
                ...d,
                status: s.status,
                battery: s.battery,
                ...(s.clock !== undefined ? { clock: s.clock } : {}),
                ...(s.info !== undefined ? { info: s.info } : {}),
              }
            : d,
        ),
      ),
    );
    const offBluetooth = client.on('devices.bluetooth', setBluetooth);
    // A reading from a device's memory is listed apart, never its latest live value.
    const offReading = client.on('devices.reading', (r: DeviceReading) =>
      setDevices((list) =>
        list.map((d) =>
          d.id !== r.provenance.deviceId
            ? d
            : r.origin === 'memory'
              ? { ...d, memory: [...d.memory, r] }
              : { ...d, lastReading: r },
        ),
      ),
    );
    return () => {
      current = false;
      offStatus();
      offBluetooth();
      offReading();
    };
  }, [client, generation]);

  return { devices, bluetooth, drivers, error, reload: () => setGeneration((g) => g + 1) };
}
