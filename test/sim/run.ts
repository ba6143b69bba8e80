/**
 * `npm run sim -- <device> [scenario]` runs one device simulator by hand.
 * Serial devices write real bytes into a socat pseudo-terminal whose path is printed;
 * Bluetooth simulators (test/sim/ble) run behind the app's BLE adapter interface.
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
} else if (device && existsSync(bleRunner)) {
  // Bluetooth simulators live in their own folder and know their own device names.
  const ble = (await import(pathToFileURL(bleRunner).href)) as { default: (args: string[]) => Promise<void> };
  await ble.default([device, ...(scenario ? [scenario] : [])]);
} else {
  console.error(
    `usage: npm run sim -- <device> [scenario]\n  serial devices: ${Object.keys(SERIAL_SIMULATORS).join(', ')}\n` +
      `  scenarios: ${SERIAL_SCENARIOS.join(', ')}` +
      (existsSync(bleRunner) ? '\n  Bluetooth devices: see test/sim/ble' : ''),
  );
  process.exit(device ? 1 : 0);
}
