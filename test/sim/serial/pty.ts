/**
 * A pseudo-terminal pair made by socat: the simulator writes the device's bytes to one end
 * (`<name>-device`), the app opens the other end (`<name>-port`) as its serial port.
 * `unplug()` kills socat (both links vanish, the app's port sees EIO, as with a pulled USB cable);
 * `replug()` starts it again with the same link names.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, lstatSync, openSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import { until } from '../../support/until';

export interface PtyPair {
  /** The end the app opens as a serial port. */
  readonly portPath: string;
  /** The end the simulated device writes to. */
  readonly devicePath: string;
  write(bytes: Uint8Array): void;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  close(): Promise<void>;
}

export async function createPtyPair(dir: string, name: string): Promise<PtyPair> {
  return createPtyPairAt(path.join(dir, `${name}-port`), path.join(dir, `${name}-device`));
}

/**
 * The same, at chosen link paths: a simulator for the running app keeps its port at one stable path
 * (`.vitals-data/sim/nonin-8`), so a paired device survives restarting the simulator. A link left
 * behind by a simulator that was killed is replaced; any other file there is an error.
 */
export async function createPtyPairAt(portPath: string, devicePath: string): Promise<PtyPair> {
  for (const link of [portPath, devicePath]) {
    const existing = lstatOrUndefined(link);
    if (!existing) continue;
    if (!existing.isSymbolicLink()) throw new Error(`${link} exists and is not a simulator's link`);
    unlinkSync(link);
  }
  let socat: ChildProcess | undefined;
  let fd: number | undefined;

  async function start() {
    const child = spawn('socat', [`pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${portPath}`], {
      stdio: 'ignore',
    });
    socat = child;
    await until(() => existsSync(portPath) && existsSync(devicePath), 'socat ptys', 15_000, 10);
    fd = openSync(devicePath, 'r+');
  }

  async function stop() {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already gone with socat
      }
      fd = undefined;
    }
    const child = socat;
    socat = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    await until(() => !existsSync(portPath), 'socat links removed', 2000, 10);
  }

  await start();
  return {
    portPath,
    devicePath,
    write(bytes) {
      if (fd === undefined) return; // unplugged: the bytes go nowhere, as on a real cable
      writeSync(fd, bytes);
    },
    unplug: stop,
    replug: start,
    close: stop,
  };
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
