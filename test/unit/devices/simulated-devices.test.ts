/**
 * When simulated devices are on, and where the app and `npm run sim` find each other.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  simulatedDevicesDir,
  simulatedDevicesRequested,
  simulatedRadioSocket,
} from '../../../main/devices/simulated/simulated-devices';
import { listSimulatedPorts, SIMULATOR_MANUFACTURER } from '../../../main/devices/simulated/simulated-ports';

describe('simulated devices are on only when asked for', () => {
  const ask = (argv: string[], env: Record<string, string> = {}, isPackaged = false) =>
    simulatedDevicesRequested({ argv: ['node', 'app', ...argv], env, isPackaged });

  it('by the command-line flag, in any build', () => {
    expect(ask(['--simulated-devices'])).toBe(true);
    expect(ask(['--simulated-devices'], {}, true)).toBe(true);
  });

  it('by VITALS_SIMULATED_DEVICES=1 only in a copy that is not installed', () => {
    expect(ask([], { VITALS_SIMULATED_DEVICES: '1' })).toBe(true);
    expect(ask([], { VITALS_SIMULATED_DEVICES: '1' }, true)).toBe(false);
    expect(ask([], { VITALS_SIMULATED_DEVICES: 'true' })).toBe(false);
  });

  it('never otherwise, nor by a look-alike argument', () => {
    expect(ask([])).toBe(false);
    expect(ask(['--simulated-devices=no', '--simulated'])).toBe(false);
  });
});

describe('the simulators folder', () => {
  it('is .vitals-data/sim under the working folder, or follows VITALS_DATA_DIR and VITALS_SIM_DIR', () => {
    expect(simulatedDevicesDir({}, '/repo')).toBe(path.join('/repo', '.vitals-data', 'sim'));
    expect(simulatedDevicesDir({ VITALS_DATA_DIR: 'demo' }, '/repo')).toBe(path.join('/repo', 'demo', 'sim'));
    expect(simulatedDevicesDir({ VITALS_DATA_DIR: '/d', VITALS_SIM_DIR: '/s' }, '/repo')).toBe('/s');
    expect(simulatedRadioSocket('/s')).toBe(path.join('/s', 'ble.sock'));
  });

  it('offers only links that lead to a character device now, not hidden, stale or other files', async () => {
    const devices = new Set(['/s/nonin-8', '/s/and-scale', '/s/.device/nonin-8']);
    const ports = await listSimulatedPorts('/s', {
      readdir: async () => ['nonin-8', 'ble.sock', '.device', 'stale-link', 'and-scale'],
      isCharacterDevice: async (file) => {
        if (file === '/s/stale-link') throw new Error('ENOENT');
        return devices.has(file);
      },
    });
    expect(ports).toEqual([
      { path: '/s/and-scale', manufacturer: SIMULATOR_MANUFACTURER },
      { path: '/s/nonin-8', manufacturer: SIMULATOR_MANUFACTURER },
    ]);
  });

  it('lists nothing when the folder does not exist yet', async () => {
    const missing = async (): Promise<string[]> => {
      throw new Error('ENOENT');
    };
    expect(
      await listSimulatedPorts('/none', { readdir: missing, isCharacterDevice: async () => true }),
    ).toEqual([]);
  });
});
