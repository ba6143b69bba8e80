import type { devicesChannels } from '../../../shared/ipc/channels/devices';
import type { DeviceManager } from '../../devices/manager';
import type { Handlers } from '../dispatcher';

export function createDevicesHandlers(deps: {
  devices: DeviceManager;
}): Pick<Handlers, keyof typeof devicesChannels> {
  const { devices } = deps;
  return {
    'devices.list': () => devices.list(),
    'devices.pair': (request) => devices.pair(request),
    'devices.unpair': ({ id }) => devices.unpair(id),
    'devices.connect': ({ id }) => devices.connect(id),
    'devices.disconnect': ({ id }) => devices.disconnect(id),
    'devices.serialPorts': () => devices.serialPorts(),
    'devices.bleScan': async ({ seconds }) => ({ devices: await devices.bleScan(seconds) }),
  };
}
