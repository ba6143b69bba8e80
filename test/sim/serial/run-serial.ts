/**
 * Runs one serial simulator by hand: makes the socat pty pair with the app's end at a stable path in
 * the simulators' folder (`.vitals-data/sim/<device>`, which the app lists among its serial ports when
 * started with `--simulated-devices`), and writes the device's bytes at its real rate. In the `unplug` scenario it pulls the "cable" every
 * 10 s for 3 s, keeping the same port path, so the app's reconnect can be watched.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { simulatedDevicesDir } from '../../../main/devices/simulated/simulated-devices';
import { createPtyPairAt } from './pty';
import { SERIAL_SCENARIOS, SERIAL_SIMULATORS, type SerialScenario } from './simulators';

export async function runSerialSimulator(device: string, scenarioName = 'normal'): Promise<void> {
  const make = SERIAL_SIMULATORS[device];
  if (!make) throw new Error(`unknown serial device ${device}`);
  if (!(SERIAL_SCENARIOS as readonly string[]).includes(scenarioName)) {
    throw new Error(`unknown scenario ${scenarioName} (one of: ${SERIAL_SCENARIOS.join(', ')})`);
  }
  const scenario = scenarioName as SerialScenario;
  const sim = make(scenario, 42);
  const dir = simulatedDevicesDir(process.env, process.cwd());
  mkdirSync(path.join(dir, '.device'), { recursive: true, mode: 0o700 });
  const pty = await createPtyPairAt(path.join(dir, device), path.join(dir, '.device', device));
  console.log(`${device} (${sim.driver}), scenario ${scenario}`);
  console.log(
    `serial port for the app: ${pty.portPath} (listed under Devices → Show serial ports when the app ` +
      'runs with --simulated-devices; the path stays the same when this simulator is started again)',
  );
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
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
