/**
 * Runs one serial simulator by hand: makes the socat pty pair, prints the path the app should open,
 * and writes the device's bytes at its real rate. In the `unplug` scenario it pulls the "cable" every
 * 10 s for 3 s, keeping the same port path, so the app's reconnect can be watched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPtyPair } from './pty';
import { SERIAL_SCENARIOS, SERIAL_SIMULATORS, type SerialScenario } from './simulators';

export async function runSerialSimulator(device: string, scenarioName = 'normal'): Promise<void> {
  const make = SERIAL_SIMULATORS[device];
  if (!make) throw new Error(`unknown serial device ${device}`);
  if (!(SERIAL_SCENARIOS as readonly string[]).includes(scenarioName)) {
    throw new Error(`unknown scenario ${scenarioName} (one of: ${SERIAL_SCENARIOS.join(', ')})`);
  }
  const scenario = scenarioName as SerialScenario;
  const sim = make(scenario, 42);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-sim-'));
  const pty = await createPtyPair(dir, device);
  console.log(`${device} (${sim.driver}), scenario ${scenario}`);
  console.log(`open this serial port in the app: ${pty.portPath}`);
  let n = 0;
  let unplugged = false;
  const started = Date.now();
  const timer = setInterval(() => {
    const elapsed = Date.now() - started;
    if (scenario === 'unplug') {
      const phase = elapsed % 13_000;
      if (phase >= 10_000 && !unplugged) {
        unplugged = true;
        console.log('unplugged');
        void pty.unplug();
        return;
      }
      if (phase < 10_000 && unplugged) {
        unplugged = false;
        void pty.replug().then(() => console.log('plugged in again'));
        return;
      }
      if (unplugged) return;
    }
    pty.write(sim.tick(n));
    if (sim.intervalMs >= 500) console.log(sim.describe(n));
    n++;
  }, sim.intervalMs);
  const stop = async () => {
    clearInterval(timer);
    await pty.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
