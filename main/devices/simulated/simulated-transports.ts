/**
 * The device transports of a run with simulated devices, as the core's `devices` configuration: the
 * serial simulators' ports listed beside the system's (and, being pseudo-terminals without USB ids,
 * allowed), and a socket radio in place of the Bluetooth one. Both live in the simulators' folder,
 * made private to this user (0700) before the socket is created in it. The hosts (the Electron shell,
 * the Chromium host) build this only when simulated devices were asked for (./simulated-devices).
 */
import { chmod, mkdir } from 'node:fs/promises';
import type { Logger, LogFields } from '../../logging/logger';
import { createSocketBleAdapter, type SocketBleAdapter } from '../ble/socket-adapter';
import { createSystemPortLister, type PortLister } from '../serial/port-lister';
import { simulatedRadioSocket } from './simulated-devices';
import { withSimulatedPorts } from './simulated-ports';

export interface SimulatedTransports {
  devices: {
    bleAdapter: SocketBleAdapter;
    serialPortLister: PortLister;
    allowSerialPortsWithoutUsbIds: true;
  };
  /** The socket path simulators connect to. */
  socketPath: string;
  /** The core's (redacted) log, once the core exists; until then nothing is logged. */
  attachLogger(logger: Logger): void;
  close(): Promise<void>;
}

export async function simulatedTransports(options: {
  dir: string;
  systemLister?: PortLister;
}): Promise<SimulatedTransports> {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  await chmod(options.dir, 0o700);
  let target: Logger | undefined;
  const forward =
    (level: keyof Logger) =>
    (event: string, fields?: LogFields): void =>
      target?.[level](event, fields);
  const logger: Logger = { info: forward('info'), warn: forward('warn'), error: forward('error') };
  const socketPath = simulatedRadioSocket(options.dir);
  const bleAdapter = await createSocketBleAdapter({ socketPath, logger });
  return {
    devices: {
      bleAdapter,
      serialPortLister: withSimulatedPorts(
        options.systemLister ?? createSystemPortLister(logger),
        options.dir,
      ),
      allowSerialPortsWithoutUsbIds: true,
    },
    socketPath,
    attachLogger(l) {
      target = l;
      l.warn('devices.simulated.enabled', {});
    },
    close: () => bleAdapter.close(),
  };
}
