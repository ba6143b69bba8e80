/**
 * Serial simulators' ports beside the system's: a simulator (`npm run sim -- nonin-8`) keeps a link
 * named for the device in the simulators' folder (`.vitals-data/sim/nonin-8`) to its pseudo-terminal.
 * The system's listing (udev) cannot see pseudo-terminals, so the folder is listed too; only links
 * that lead to a character device now count (a stopped simulator's port is not offered).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SerialPortSummary } from '../../../shared/ipc/channels/devices';
import type { PortLister } from '../serial/port-lister';

export const SIMULATOR_MANUFACTURER = 'Vitals Desk simulator';

export interface SimulatedPortFacts {
  readdir(dir: string): Promise<string[]>;
  isCharacterDevice(file: string): Promise<boolean>;
}

const systemFacts: SimulatedPortFacts = {
  readdir: (dir) => readdir(dir),
  isCharacterDevice: async (file) => (await stat(file)).isCharacterDevice(),
};

export async function listSimulatedPorts(
  dir: string,
  facts: SimulatedPortFacts = systemFacts,
): Promise<SerialPortSummary[]> {
  const names = await facts.readdir(dir).catch(() => [] as string[]);
  const ports: SerialPortSummary[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const file = path.join(dir, name);
    if (await facts.isCharacterDevice(file).catch(() => false))
      ports.push({ path: file, manufacturer: SIMULATOR_MANUFACTURER });
  }
  return ports;
}

/** The system's ports, then the simulators'. */
export function withSimulatedPorts(
  lister: PortLister,
  dir: string,
  facts: SimulatedPortFacts = systemFacts,
): PortLister {
  return {
    async list() {
      const [system, simulated] = await Promise.all([lister.list(), listSimulatedPorts(dir, facts)]);
      return { ...system, ports: [...system.ports, ...simulated] };
    },
  };
}
