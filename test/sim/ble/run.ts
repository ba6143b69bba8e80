/**
 * `npm run sim -- <profile> [scenario]` for Bluetooth: runs one simulated health device behind the
 * simulated radio (there is no radio to advertise on), connects the app's real BLE connector to it
 * and prints what the app would receive, one JSON line per event. Ctrl-C stops it.
 *
 * Scenarios: normal (a measurement every second; a cuff first sends its pressure as it inflates and
 * deflates), garbage, truncated, out-of-range, sensor-off
 * (the bad frame alternates with good ones), low-battery (the battery drains 5 % a second),
 * disconnect (the device drops out every 5 s and the connector is reconnected, as the manager does),
 * wrong-clock (the device's clock is about 18 months behind and offers Current Time; the connector is
 * told to set it after 5 s), backlog (three stored measurements sent as the device connects), shared
 * (cuffs and scales: measurements alternate between users 1, 2 and the unknown user 0xFF).
 */
import { bleConnector } from '../../../main/devices/ble/connector';
import { BLE_DRIVERS } from '../../../main/devices/ble/drivers';
import type { DeviceConnection, ReadingSink } from '../../../main/devices/types';
import { memoryLogger } from '../../../main/logging/logger';
import { systemClock } from '../../../main/platform/clock';
import {
  createSimulatedDevice,
  CUFF_CYCLE,
  SIM_PROFILES,
  type SimProfile,
  type SimScenario,
} from './devices';
import { encodeBloodPressure, sfloat, SFLOAT_SPECIALS, simDateTime } from './encoders';
import { SimulatedBleAdapter } from './simulated-adapter';

const SCENARIOS = [
  'normal',
  'garbage',
  'truncated',
  'out-of-range',
  'sensor-off',
  'low-battery',
  'disconnect',
  'wrong-clock',
  'backlog',
  'shared',
] as const;
type RunScenario = (typeof SCENARIOS)[number];

const DRIVER_OF: Record<SimProfile, string> = {
  'heart-rate': 'ble.heart-rate',
  'blood-pressure': 'ble.blood-pressure',
  thermometer: 'ble.thermometer',
  'weight-scale': 'ble.weight-scale',
  'pulse-oximeter': 'ble.pulse-oximeter',
  glucose: 'ble.glucose',
};

export default async function runBleSimulator(args: string[]): Promise<void> {
  const [profile, scenarioArg] = args;
  const scenario = (scenarioArg ?? 'normal') as RunScenario;
  if (!profile || !(SIM_PROFILES as readonly string[]).includes(profile) || !SCENARIOS.includes(scenario)) {
    console.error(`usage: npm run sim -- <${SIM_PROFILES.join('|')}> [${SCENARIOS.join('|')}]`);
    process.exitCode = 1;
    return;
  }
  const DAY = 24 * 60 * 60_000;
  const stored = (daysAgo: number) =>
    encodeBloodPressure({
      systolic: sfloat(130 + daysAgo),
      diastolic: sfloat(85),
      meanArterialPressure: SFLOAT_SPECIALS.NaN,
      timestamp: simDateTime(new Date(Date.now() - daysAgo * DAY)),
    });
  const sim = createSimulatedDevice(profile as SimProfile, {
    ...(scenario === 'wrong-clock' ? { clockOffsetMs: -547 * DAY } : {}),
    ...(scenario === 'backlog' && profile === 'blood-pressure'
      ? { backlog: [stored(3), stored(2), stored(1)] }
      : {}),
  });
  const adapter = new SimulatedBleAdapter([sim.peripheral]);
  const connector = bleConnector({ adapter, clock: systemClock, logger: memoryLogger() });
  const driver = BLE_DRIVERS.find((d) => d.id === DRIVER_OF[profile as SimProfile])!;
  const print = (event: string, data: unknown) => console.log(JSON.stringify({ event, data }));
  const sink: ReadingSink = {
    reading: (r) => print('reading', r),
    waveform: (w) => print('waveform', w),
    status: (s) => print('status', s),
    battery: (p) => print('battery', p),
    info: (i) => print('info', i),
    cuffPressure: (mmHg) => print('cuffPressure', mmHg),
    clock: (c) => print('clock', c),
  };
  const device = {
    id: 'sim',
    name: sim.peripheral.name,
    transport: 'ble' as const,
    driver: driver.id,
    address: sim.peripheral.address,
  };
  let connection: DeviceConnection | undefined = await connector.connect(device, sink);

  let tick = 0;
  let battery = 100;
  const timer = setInterval(() => {
    tick++;
    if (scenario === 'disconnect' && tick % 5 === 0) {
      if (sim.peripheral.connected) {
        sim.peripheral.dropLink();
        setTimeout(() => {
          sim.peripheral.comeBack();
          void connection
            ?.close()
            .then(() => connector.connect(device, sink))
            .then((c) => (connection = c));
        }, 1000);
      }
      return;
    }
    if (scenario === 'low-battery') sim.setBattery((battery = Math.max(0, battery - 5)));
    if (scenario === 'wrong-clock' && tick === 5) void connection?.setClock?.();
    const user = scenario === 'shared' ? [1, 2, 0xff][tick % 3] : undefined;
    if (user !== undefined && profile === 'weight-scale') {
      sim.measureWeight({ kg: 60 + user / 10, userId: user });
      return;
    }
    if ((scenario === 'wrong-clock' || user !== undefined) && profile === 'blood-pressure') {
      CUFF_CYCLE.forEach((mmHg, i) => setTimeout(() => sim.sendCuffPressure(mmHg), i * 60));
      const measured = {
        systolic: 122,
        diastolic: 78,
        pulse: 64,
        ...(user !== undefined ? { userId: user } : {}),
      };
      setTimeout(() => sim.measureBloodPressure(measured), CUFF_CYCLE.length * 60);
      return;
    }
    const bad = ['garbage', 'truncated', 'out-of-range', 'sensor-off'].includes(scenario) && tick % 2 === 0;
    if (profile === 'blood-pressure' && !bad) {
      // A cuff measures for a few seconds: the pressure rises and falls, then the result comes.
      CUFF_CYCLE.forEach((mmHg, i) => setTimeout(() => sim.sendCuffPressure(mmHg), i * 60));
      setTimeout(() => sim.send('normal'), CUFF_CYCLE.length * 60);
      return;
    }
    sim.send(bad ? (scenario as SimScenario) : 'normal');
  }, 1000);

  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  clearInterval(timer);
  await connection?.close();
}
