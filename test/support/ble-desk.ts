/**
 * A desk of Bluetooth devices below the UI: simulated peripherals (test/sim/ble/devices.ts) on the
 * simulated radio, with the app's BLE connector and device manager over them and no serial port. The
 * simulated radio is the mock of the Bluetooth hardware this machine does not have; everything above it
 * is the app's code.
 */
import { bluetoothFromAdapter } from '../../main/devices/bluetooth';
import { createDeviceManager } from '../../main/devices/manager';
import { createEventBus } from '../../main/ipc/event-bus';
import { memoryLogger } from '../../main/logging/logger';
import { systemClock } from '../../main/platform/clock';
import { SimulatedBleAdapter, type SimulatedPeripheral } from '../sim/ble/simulated-adapter';
import { memoryDeviceStore } from './memory-device-store';

export function bleDesk(peripherals: SimulatedPeripheral[]) {
  const logger = memoryLogger();
  const adapter = new SimulatedBleAdapter(peripherals);
  const manager = createDeviceManager({
    store: memoryDeviceStore(),
    serial: {
      connector: { transport: 'serial', connect: () => Promise.reject(new Error('none')) },
      drivers: [],
      listPorts: async () => ({ ports: [], complete: true }),
    },
    bluetooth: bluetoothFromAdapter({ adapter, clock: systemClock, logger }),
    events: createEventBus(),
    logger,
  });
  /** Pairs a device as the nurse would, by name, driver and address; returns its id. */
  const pair = (name: string, driver: string, peripheral: SimulatedPeripheral) =>
    manager.pair({ name, transport: 'ble', driver, address: peripheral.address }).id;
  /** The device manager's entry for the device of that name. */
  const entry = (name: string) => {
    const found = manager.list().devices.find((d) => d.name === name);
    if (!found) throw new Error(`no device named ${name}`);
    return found;
  };
  return { manager, logger, pair, entry };
}
