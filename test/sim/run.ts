/**
 * `npm run sim -- <device> [scenario]` runs one device simulator by hand.
 * Serial devices write real bytes into a socat pseudo-terminal at a stable path in the simulators'
 * folder; `npm run sim -- ble <profile> [scenario]` puts a Bluetooth device on the running app's
 * simulated radio; `npm run sim -- <profile>` alone prints what the app's connector would receive.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSerialSimulator } from './serial/run-serial';
import { SERIAL_SCENARIOS, SERIAL_SIMULATORS } from './serial/simulators';

const [device, scenario] = process.argv.slice(2);
const simDir = path.dirname(new URL(import.meta.url).pathname);
const bleRunner = path.join(simDir, 'ble', 'run.ts');

if (device && Object.hasOwn(SERIAL_SIMULATORS, device)) {
  await runSerialSimulator(device, scenario);
} else if (device === 'ble') {
  const { runLiveBleSimulator } = await import('./ble/run-live');
  await runLiveBleSimulator(process.argv.slice(3));
} else if (device && existsSync(bleRunner)) {
  // Bluetooth simulators live in their own folder and know their own device names.
  const ble = (await import(pathToFileURL(bleRunner).href)) as { default: (args: string[]) => Promise<void> };
  await ble.default([device, ...(scenario ? [scenario] : [])]);
} else {
  console.error(
    `usage: npm run sim -- <device> [scenario]\n  serial devices: ${Object.keys(SERIAL_SIMULATORS).join(', ')}\n` +
      `  scenarios: ${SERIAL_SCENARIOS.join(', ')}` +
      '\n  Bluetooth, for the running app: npm run sim -- ble <profile> [scenario]' +
      (existsSync(bleRunner) ? '\n  Bluetooth devices: see test/sim/ble' : ''),
  );
  process.exit(device ? 1 : 0);
}
