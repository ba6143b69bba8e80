/**
 * What a simulated Bluetooth device does over time in each scenario, whoever listens to it (the app's
 * connector in this process, or the running app over the socket radio):
 *
 * normal (a measurement every second; a cuff first sends its pressure as it inflates and deflates),
 * garbage, truncated, out-of-range, sensor-off (the bad frame alternates with good ones), low-battery
 * (the battery drains 5 % a second), disconnect (the device drops out every 5 s for 1 s),
 * wrong-clock (the device's clock is about 18 months behind and offers Current Time), backlog (three
 * stored measurements sent as the device connects), shared (cuffs and scales: measurements alternate
 * between users 1, 2 and the unknown user 0xFF).
 */
import {
  createSimulatedDevice,
  CUFF_CYCLE,
  SIM_PROFILES,
  type SimProfile,
  type SimScenario,
  type SimulatedHealthDevice,
} from './devices';
import { encodeBloodPressure, sfloat, SFLOAT_SPECIALS, simDateTime } from './encoders';

export const BLE_SCENARIOS = [
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
export type BleRunScenario = (typeof BLE_SCENARIOS)[number];

export const BLE_DRIVER_OF: Record<SimProfile, string> = {
  'heart-rate': 'ble.heart-rate',
  'blood-pressure': 'ble.blood-pressure',
  thermometer: 'ble.thermometer',
  'weight-scale': 'ble.weight-scale',
  'pulse-oximeter': 'ble.pulse-oximeter',
  glucose: 'ble.glucose',
};

export function parseBleArgs(
  args: readonly string[],
): { profile: SimProfile; scenario: BleRunScenario } | { usage: string } {
  const [profile, scenarioArg] = args;
  const scenario = (scenarioArg ?? 'normal') as BleRunScenario;
  if (!profile || !(SIM_PROFILES as readonly string[]).includes(profile) || !BLE_SCENARIOS.includes(scenario))
    return { usage: `<${SIM_PROFILES.join('|')}> [${BLE_SCENARIOS.join('|')}]` };
  return { profile: profile as SimProfile, scenario };
}

const DAY = 24 * 60 * 60_000;

/** The simulated device a scenario starts with (its clock, its stored backlog). */
export function deviceForScenario(profile: SimProfile, scenario: BleRunScenario): SimulatedHealthDevice {
  const stored = (daysAgo: number) =>
    encodeBloodPressure({
      systolic: sfloat(130 + daysAgo),
      diastolic: sfloat(85),
      meanArterialPressure: SFLOAT_SPECIALS.NaN,
      timestamp: simDateTime(new Date(Date.now() - daysAgo * DAY)),
    });
  return createSimulatedDevice(profile, {
    // The same address every run, so a device paired in the app survives restarting its simulator.
    address: `c0:ff:ee:51:00:${(SIM_PROFILES.indexOf(profile) + 1).toString(16).padStart(2, '0')}`,
    ...(scenario === 'wrong-clock' ? { clockOffsetMs: -547 * DAY } : {}),
    ...(scenario === 'backlog' && profile === 'blood-pressure'
      ? { backlog: [stored(3), stored(2), stored(1)] }
      : {}),
  });
}

export interface ScenarioHooks {
  /** The device went out of range, or came back (the disconnect scenario). */
  onRange?(inRange: boolean): void;
  /** The wrong-clock scenario: after 5 s, the listener is told to set the device's clock. */
  setClock?(): void;
}

/** Runs the scenario once a second until the returned stop() is called. */
export function driveScenario(
  sim: SimulatedHealthDevice,
  profile: SimProfile,
  scenario: BleRunScenario,
  hooks: ScenarioHooks = {},
): () => void {
  let tick = 0;
  let battery = 100;
  const pending = new Set<NodeJS.Timeout>();
  const after = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      pending.delete(t);
      fn();
    }, ms);
    pending.add(t);
  };
  const cuffCycle = (then: () => void) => {
    CUFF_CYCLE.forEach((mmHg, i) => after(i * 60, () => sim.sendCuffPressure(mmHg)));
    after(CUFF_CYCLE.length * 60, then);
  };
  const timer = setInterval(() => {
    tick++;
    if (scenario === 'disconnect' && tick % 5 === 0) {
      sim.peripheral.dropLink();
      hooks.onRange?.(false);
      after(1000, () => {
        sim.peripheral.comeBack();
        hooks.onRange?.(true);
      });
      return;
    }
    if (scenario === 'low-battery') sim.setBattery((battery = Math.max(0, battery - 5)));
    if (scenario === 'wrong-clock' && tick === 5) hooks.setClock?.();
    const user = scenario === 'shared' ? [1, 2, 0xff][tick % 3] : undefined;
    if (user !== undefined && profile === 'weight-scale') {
      sim.measureWeight({ kg: 60 + user / 10, userId: user });
      return;
    }
    if ((scenario === 'wrong-clock' || user !== undefined) && profile === 'blood-pressure') {
      const measured = {
        systolic: 122,
        diastolic: 78,
        pulse: 64,
        ...(user !== undefined ? { userId: user } : {}),
      };
      cuffCycle(() => sim.measureBloodPressure(measured));
      return;
    }
    const bad = ['garbage', 'truncated', 'out-of-range', 'sensor-off'].includes(scenario) && tick % 2 === 0;
    if (profile === 'blood-pressure' && !bad) {
      // A cuff measures for a few seconds: the pressure rises and falls, then the result comes.
      cuffCycle(() => sim.send('normal'));
      return;
    }
    sim.send(bad ? (scenario as SimScenario) : 'normal');
  }, 1000);
  return () => {
    clearInterval(timer);
    for (const t of pending) clearTimeout(t);
  };
}
