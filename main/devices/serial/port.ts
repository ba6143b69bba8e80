/**
 * The thin transport under a serial driver: open a port with the driver's line settings and hear its
 * bytes, its unplugging and its errors. The default uses `serialport`, loaded on first use so the app
 * starts (and tests run) where its native module is not needed.
 */
import { stat } from 'node:fs';
import type { SerialLineSettings } from './drivers/types';

export interface SerialPortHandle {
  onData(listener: (chunk: Uint8Array) => void): void;
  /** The port closed: `unplugged` when the device went away rather than the app closing it. */
  onClose(listener: (unplugged: boolean) => void): void;
  close(): Promise<void>;
}

export type SerialPortFactory = (options: { path: string } & SerialLineSettings) => Promise<SerialPortHandle>;

export const openSystemSerialPort: SerialPortFactory = async (options) => {
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({
    path: options.path,
    baudRate: options.baudRate,
    dataBits: options.dataBits,
    parity: options.parity,
    stopBits: options.stopBits,
    autoOpen: false,
    // The device is a stream we only read; no locking surprises if another program holds it: open fails.
    lock: true,
  });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let closing = false;
  const closeListeners: ((unplugged: boolean) => void)[] = [];
  let closed = false;
  const fireClose = (unplugged: boolean) => {
    if (closed) return;
    closed = true;
    clearInterval(watchdog);
    for (const listener of closeListeners) listener(unplugged);
  };
  port.on('close', () => fireClose(!closing));
  // serialport misses a hang-up that lands right after a read (the poller is re-armed after the line is
  // already gone), so an unplugged device could look connected forever. The device node disappears
  // when a USB adapter (or a pty) goes away: checking for it twice a second catches what the poller missed.
  // Unix only: Windows COM ports have no path in the file system (there the driver reports the removal).
  const watchdog =
    process.platform === 'win32'
      ? undefined
      : setInterval(() => {
          stat(options.path, (error) => {
            if (!error || error.code !== 'ENOENT' || closed) return;
            if (port.isOpen) port.close(() => undefined);
            fireClose(!closing);
          });
        }, 500);
  watchdog?.unref();
  // A read error (EIO when a USB adapter or pty goes away) is an unplug; serialport closes the port after it.
  port.on('error', () => {
    if (!port.isOpen) fireClose(!closing);
  });
  return {
    onData(listener) {
      port.on('data', (chunk: Buffer) => listener(chunk));
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    async close() {
      if (closed) return;
      closing = true;
      await new Promise<void>((resolve) => port.close(() => resolve()));
      fireClose(false);
    },
  };
};
