/**
 * A desk of serial devices below the UI: a temporary folder for socat pseudo-terminals
 * (test/sim/serial/pty.ts), the app's serial connector and device manager over them, an event bus the
 * test listens to, and no Bluetooth. Pseudo-terminals have no USB ids, so the desk allows ports without
 * them, as a test configuration would (see port-check). close() lets every device go and removes the
 * folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDeviceManager, unsupportedBluetooth } from '../../main/devices/manager';
import { SERIAL_DRIVERS } from '../../main/devices/serial/drivers';
import { createSerialConnector } from '../../main/devices/serial/connector';
import { createPortLister, type PortListerDeps } from '../../main/devices/serial/port-lister';
import { createEventBus } from '../../main/ipc/event-bus';
import { memoryLogger } from '../../main/logging/logger';
import { systemClock } from '../../main/platform/clock';
import { createPtyPair, type PtyPair } from '../sim/serial/pty';
import { memoryDeviceStore } from './memory-device-store';

export function openSerialDesk(options: {
  /** The temporary folder's name starts so. */
  dirPrefix: string;
  /** What the system's port listing answers (udev is not involved with ptys, so the test plays it). */
  listPorts?: PortListerDeps['list'];
  reconnect?: { initialMs: number; maxMs: number };
  waveformBatchMs?: number;
}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), options.dirPrefix));
  const ptys: PtyPair[] = [];
  const logger = memoryLogger();
  const events = createEventBus();
  const lister = createPortLister({ list: options.listPorts ?? (async () => []) });
  const manager = createDeviceManager({
    store: memoryDeviceStore(),
    serial: {
      connector: createSerialConnector({
        clock: systemClock,
        logger,
        lister,
        allowPortsWithoutUsbIds: () => true,
      }),
      drivers: Object.values(SERIAL_DRIVERS).map((d) => ({ id: d.id, name: d.model })),
      listPorts: () => lister.list(),
    },
    bluetooth: unsupportedBluetooth(),
    events,
    logger,
    ...(options.waveformBatchMs !== undefined ? { waveformBatchMs: options.waveformBatchMs } : {}),
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
  });
  return {
    dir,
    logger,
    events,
    manager,
    /** Pairs a serial device by its port path, as the nurse would; returns its id. */
    pair: (name: string, driver: string, portPath: string) =>
      manager.pair({ name, transport: 'serial', driver, address: portPath }).id,
    /** A device's cable: a pseudo-terminal pair whose app end is `<dir>/<name>-port`. */
    async plugIn(name: string): Promise<PtyPair> {
      const pair = await createPtyPair(dir, name);
      ptys.push(pair);
      return pair;
    },
    async close(): Promise<void> {
      await manager.close();
      for (const pty of ptys) await pty.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type SerialDesk = ReturnType<typeof openSerialDesk>;
