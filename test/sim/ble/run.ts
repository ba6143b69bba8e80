/**
 * `npm run sim -- <profile> [scenario]` for Bluetooth, on its own: runs one simulated health device
 * behind the simulated radio in this process, connects the app's real BLE connector to it and prints
 * what the app would receive, one JSON line per event. Ctrl-C stops it. To drive the running app
 * instead, `npm run sim -- ble <profile> [scenario]` (./run-live.ts). Scenarios: ./scenario.ts.
 */
import { bleConnector } from '../../../main/devices/ble/connector';
import { BLE_DRIVERS } from '../../../main/devices/ble/drivers';
import type { DeviceConnection, ReadingSink } from '../../../main/devices/types';
import { memoryLogger } from '../../../main/logging/logger';
import { systemClock } from '../../../main/platform/clock';
import { BLE_DRIVER_OF, deviceForScenario, driveScenario, parseBleArgs } from './scenario';
import { SimulatedBleAdapter } from './simulated-adapter';

export default async function runBleSimulator(args: string[]): Promise<void> {
  const parsed = parseBleArgs(args);
  if ('usage' in parsed) {
    console.error(`usage: npm run sim -- ${parsed.usage}`);
    process.exitCode = 1;
    return;
  }
  const { profile, scenario } = parsed;
  const sim = deviceForScenario(profile, scenario);
  const adapter = new SimulatedBleAdapter([sim.peripheral]);
  const connector = bleConnector({ adapter, clock: systemClock, logger: memoryLogger() });
  const driver = BLE_DRIVERS.find((d) => d.id === BLE_DRIVER_OF[profile])!;
  const print = (event: string, data: unknown) => console.log(JSON.stringify({ event, data }));
  const sink: ReadingSink = {
    reading: (r) => print('reading', r),
    waveform: (w) => print('waveform', w),
    status: (s) => print('status', s),
    battery: (p) => print('battery', p),
    info: (i) => print('info', i),
    cuffPressure: (mmHg) => print('cuffPressure', mmHg),
    clock: (c) => print('clock', c),
  };
  const device = {
    id: 'sim',
    name: sim.peripheral.name,
    transport: 'ble' as const,
    driver: driver.id,
    address: sim.peripheral.address,
  };
  let connection: DeviceConnection | undefined = await connector.connect(device, sink);
  const stop = driveScenario(sim, profile, scenario, {
    // Back in range: reconnect, as the app's device manager does.
    onRange: (inRange) => {
      if (!inRange) return;
      void connection
        ?.close()
        .then(() => connector.connect(device, sink))
        .then((c) => (connection = c));
    },
    setClock: () => void connection?.setClock?.(),
  });

  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  stop();
  await connection?.close();
}
