/**
 * An AllowedDeviceStore in memory, for device tests that are not about the database
 * (the app keeps pairings in the encrypted DB: main/db/repositories/devices.ts).
 */
import type { AllowedDevice, AllowedDeviceStore } from '../../main/devices/types';

export function memoryDeviceStore(
  initial: AllowedDevice[] = [],
): AllowedDeviceStore & { devices: AllowedDevice[] } {
  const devices = initial.map((d) => ({ ...d }));
  return {
    devices,
    list: () => devices.map((d) => ({ ...d })),
    save(device) {
      const index = devices.findIndex((d) => d.id === device.id);
      if (index >= 0) devices[index] = { ...device };
      else devices.push({ ...device });
    },
    remove(id) {
      const index = devices.findIndex((d) => d.id === id);
      if (index >= 0) devices.splice(index, 1);
    },
  };
}
