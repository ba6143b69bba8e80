/**
 * Whether this run of the app talks to simulated devices, and where they live. Simulators are for
 * trying the app and demonstrating it without hardware: they are on only when the app is started
 * with `--simulated-devices` (any build), or with VITALS_SIMULATED_DEVICES=1 in a copy that is not
 * installed (an environment variable is too easy to leave set on a clinic machine). Pure.
 */
import path from 'node:path';

export const SIMULATED_DEVICES_FLAG = '--simulated-devices';

export function simulatedDevicesRequested(options: {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** An installed copy honours only the command-line flag. */
  isPackaged: boolean;
}): boolean {
  if (options.argv.includes(SIMULATED_DEVICES_FLAG)) return true;
  return !options.isPackaged && options.env.VITALS_SIMULATED_DEVICES === '1';
}

/**
 * The folder the app and the simulators agree on: VITALS_SIM_DIR, else `sim` in VITALS_DATA_DIR,
 * else `.vitals-data/sim` under the working folder (the checkout, for `npm start` and `npm run sim`).
 */
export function simulatedDevicesDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  if (env.VITALS_SIM_DIR) return path.resolve(cwd, env.VITALS_SIM_DIR);
  return path.join(path.resolve(cwd, env.VITALS_DATA_DIR ?? '.vitals-data'), 'sim');
}

/** The simulated Bluetooth radio's socket in that folder. */
export function simulatedRadioSocket(dir: string): string {
  return path.join(dir, 'ble.sock');
}
