/**
 * `npm run sim -- ble <profile> [scenario]`: one simulated Bluetooth device for the running app
 * (started with `--simulated-devices`). It joins the app's simulated radio over its local socket, so
 * it appears in "Look for Bluetooth devices", can be paired, and sends its readings to the app.
 * Ctrl-C stops it; the app then sees the device go away ("Waiting for …").
 */
import { existsSync } from 'node:fs';
import { simulatedDevicesDir, simulatedRadioSocket } from '../../../main/devices/simulated/simulated-devices';
import { deviceForScenario, driveScenario, parseBleArgs } from './scenario';
import { bridgePeripheral } from './socket-bridge';

export async function runLiveBleSimulator(args: readonly string[]): Promise<void> {
  const parsed = parseBleArgs(args);
  if ('usage' in parsed) {
    console.error(`usage: npm run sim -- ble ${parsed.usage}`);
    process.exitCode = 1;
    return;
  }
  const { profile, scenario } = parsed;
  const socketPath = simulatedRadioSocket(simulatedDevicesDir(process.env, process.cwd()));
  if (!existsSync(socketPath)) {
    console.error(
      `No app with simulated devices is running here (no ${socketPath}).\n` +
        'Start it first, in another terminal: npm run start:chromium -- --simulated-devices\n' +
        '(or npm start -- --simulated-devices). Both sides use VITALS_SIM_DIR or VITALS_DATA_DIR when set.',
    );
    process.exitCode = 1;
    return;
  }
  const sim = deviceForScenario(profile, scenario);
  const bridge = await bridgePeripheral(sim.peripheral, socketPath);
  console.log(
    `${sim.peripheral.name} (${profile}, scenario ${scenario}) is on the app's simulated radio as ` +
      `${sim.peripheral.address}. In the app: Devices → Connection: Bluetooth → Look for Bluetooth devices.`,
  );
  const stop = driveScenario(sim, profile, scenario, { onRange: (inRange) => bridge.setInRange(inRange) });
  // Until Ctrl-C, or until the app quits (its radio closes the socket).
  await Promise.race([
    bridge.closed,
    new Promise<void>((resolve) => process.once('SIGINT', () => resolve())),
  ]);
  console.log('Simulator stopped.');
  stop();
  bridge.close();
}
