/**
 * `npm run start:chromium`: the app in a visible Chromium window with the real core, for development
 * and demos on machines without Electron. Data goes to VITALS_DATA_DIR (default ./.vitals-data); an IT
 * policy file is read from VITALS_POLICY_FILE when set (the installed app reads the OS location).
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createDevelopmentCore } from './development-core';
import { launchChromiumHost } from './chromium-host';
import { missingDisplayMessage } from './chromium-app-window';
import { simulatedDevicesDir, simulatedDevicesRequested } from '../main/devices/simulated/simulated-devices';
import { simulatedTransports } from '../main/devices/simulated/simulated-transports';

const noDisplay =
  process.env.HEADLESS === '1' ? undefined : missingDisplayMessage(process.env, process.platform);
if (noDisplay) {
  console.error(noDisplay);
  process.exit(1);
}
const dataDir = path.resolve(process.env.VITALS_DATA_DIR ?? '.vitals-data');
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const policyFile = process.env.VITALS_POLICY_FILE;
// `-- --simulated-devices` (or VITALS_SIMULATED_DEVICES=1): the simulators' ports and socket radio.
const simulated = simulatedDevicesRequested({ argv: process.argv, env: process.env, isPackaged: false })
  ? await simulatedTransports({ dir: simulatedDevicesDir(process.env, process.cwd()) })
  : undefined;
const core = await createDevelopmentCore({
  dataDir,
  appVersion: version,
  ...(policyFile ? { policyFile } : {}),
  ...(simulated ? { devices: simulated.devices } : {}),
});
simulated?.attachLogger(core.logger);
if (simulated) {
  console.log(
    `Simulated devices are on. Serial simulators appear as ports in ${path.dirname(simulated.socketPath)};\n` +
      'start one with `npm run sim -- nonin-8`, or a Bluetooth one with `npm run sim -- ble blood-pressure`.',
  );
}
const headless = process.env.HEADLESS === '1';
const host = await launchChromiumHost({ core, headless, viewport: null, appWindow: !headless });
const page = await host.openPage();
console.log(`Vitals Desk is running in Chromium. Data directory: ${dataDir}. Close the window to stop.`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await host.close();
  await core.close();
  await simulated?.close();
  process.exit(0);
}
page.on('close', () => void stop());
host.browser.on('disconnected', () => void stop());
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
