/**
 * Serial device simulators: each produces the device's real bytes, one chunk per tick, built with the
 * same published layouts the drivers decode (encoders live beside the decoders in the drivers).
 * Scenarios: normal, unplug (the runner pulls and restores the pty), garbage (noise and truncated
 * frames between good ones), out-of-range, sensor-off, low-battery.
 */
import { encodeNonin2Packet } from '../../../main/devices/serial/drivers/nonin-2';
import { encodeNonin7Packet } from '../../../main/devices/serial/drivers/nonin-7';
import { encodeNonin8 } from '../../../main/devices/serial/drivers/nonin-8';

export const SERIAL_SCENARIOS = [
  'normal',
  'unplug',
  'garbage',
  'out-of-range',
  'sensor-off',
  'low-battery',
] as const;
export type SerialScenario = (typeof SERIAL_SCENARIOS)[number];

export interface SerialSimulator {
  readonly driver: string;
  /** Time between chunks at the device's real rate. */
  readonly intervalMs: number;
  /** The bytes of tick number `n` (0-based). */
  tick(n: number): Uint8Array;
  /** What the simulated device "says" it sent, for a person watching the simulator. */
  describe(n: number): string;
}

/** A small deterministic generator so runs (and tests) repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

function noise(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

function nonin8(scenario: SerialScenario, seed: number): SerialSimulator {
  const random = seededRandom(seed);
  const vitalsAt = (n: number) => ({ heartRate: 70 + (n % 7), spo2: 96 + (n % 3) });
  return {
    driver: 'serial.nonin-8',
    intervalMs: 1000,
    tick(n) {
      const v = vitalsAt(n);
      switch (scenario) {
        case 'out-of-range':
          return encodeNonin8(
            n % 2 === 0 ? { heartRate: 10, spo2: v.spo2 } : { heartRate: v.heartRate, spo2: 40 },
          );
        case 'sensor-off':
          return encodeNonin8({ heartRate: 511, spo2: 127, sensorDisconnected: n % 4 !== 3 });
        case 'low-battery':
          return encodeNonin8({ ...v, lowBattery: n >= 2 });
        case 'garbage': {
          const good = encodeNonin8(v);
          // Noise with bit 7 clear (no false record start), then a truncated record, then a good one.
          return Buffer.concat([noise(random, 3).map((b) => b & 0x7f), good.subarray(0, 2), good]);
        }
        default:
          return encodeNonin8(v);
      }
    },
    describe(n) {
      const v = vitalsAt(n);
      return `record ${n}: HR ${v.heartRate}/min SpO2 ${v.spo2}% (${scenario})`;
    },
  };
}

/** 75 Hz frames sent as whole 25-frame packets, three a second (a real device streams the same bytes). */
function nonin2(scenario: SerialScenario, seed: number): SerialSimulator {
  const random = seededRandom(seed);
  const plethAt = (n: number, i: number) => {
    const t = (n * 25 + i) / 75;
    return Math.round(128 + 90 * Math.sin(2 * Math.PI * 1.2 * t) * Math.exp(-((t * 1.2) % 1) * 1.5));
  };
  return {
    driver: 'serial.nonin-2',
    intervalMs: 1000 / 3,
    tick(n) {
      const pleth = Array.from({ length: 25 }, (_, i) => plethAt(n, i));
      const base = { heartRate: 72 + (n % 5), spo2: 97, pleth };
      switch (scenario) {
        case 'out-of-range':
          return encodeNonin2Packet({ ...base, heartRate: n % 2 ? 400 : 15 });
        case 'sensor-off':
          return encodeNonin2Packet({ ...base, heartRate: 511, spo2: 127, sensorDisconnected: true });
        case 'low-battery':
          return encodeNonin2Packet({ ...base, lowBattery: n >= 3 });
        case 'garbage': {
          const packet = encodeNonin2Packet(base);
          return n % 3 === 1 ? Buffer.concat([noise(random, 7), packet.subarray(0, 40)]) : packet;
        }
        default:
          return encodeNonin2Packet(base);
      }
    },
    describe(n) {
      return `packet ${n}: 25 pleth samples, HR ${72 + (n % 5)}/min SpO2 97% (${scenario})`;
    },
  };
}

/**
 * Format #7: the same 75 Hz rhythm as #2 with a 16-bit pleth and no start byte. Each pulse is coloured
 * for 12 frames (the perfusion bits), as the oximeter does; the colour drifts green → yellow → red and
 * back every few seconds so the card's signal quality can be watched changing.
 */
function nonin7(scenario: SerialScenario, seed: number): SerialSimulator {
  const random = seededRandom(seed);
  const beatFrames = 62; // about 72/min at 75 frames a second
  const colourAt = (frame: number) => {
    const cycle = Math.floor(frame / (75 * 4)) % 4;
    return cycle === 2 ? 'yellow' : cycle === 3 ? 'red' : 'green';
  };
  const packetAt = (n: number) => {
    const pleth: number[] = [];
    const perfusion: ('green' | 'yellow' | 'red' | 'none')[] = [];
    for (let i = 0; i < 25; i++) {
      const frame = n * 25 + i;
      const phase = (frame % beatFrames) / beatFrames;
      pleth.push(Math.round(32768 + 20000 * Math.sin(2 * Math.PI * phase) * Math.exp(-phase * 1.5)));
      perfusion.push(frame % beatFrames < 12 ? colourAt(frame) : 'none');
    }
    return { heartRate: 72 + (n % 5), spo2: 97, pleth, perfusion };
  };
  return {
    driver: 'serial.nonin-7',
    intervalMs: 1000 / 3,
    tick(n) {
      const base = packetAt(n);
      switch (scenario) {
        case 'out-of-range':
          return encodeNonin7Packet({ ...base, heartRate: n % 2 ? 400 : 15 });
        case 'sensor-off':
          return encodeNonin7Packet({ ...base, heartRate: 511, spo2: 127, sensorDisconnected: true });
        case 'low-battery':
          return encodeNonin7Packet({ ...base, lowBattery: n >= 3 });
        case 'garbage': {
          const packet = encodeNonin7Packet(base);
          return n % 3 === 1 ? Buffer.concat([noise(random, 7), packet.subarray(0, 40)]) : packet;
        }
        default:
          return encodeNonin7Packet(base);
      }
    },
    describe(n) {
      return `packet ${n}: 25 pleth samples (16-bit), HR ${72 + (n % 5)}/min SpO2 97%, ${colourAt(n * 25)} perfusion (${scenario})`;
    },
  };
}

/** The scale settles: a few unstable lines, then stable ones, as when a patient steps on. */
function andScale(scenario: SerialScenario, seed: number): SerialSimulator {
  const random = seededRandom(seed);
  const line = (text: string) => new TextEncoder().encode(`${text}\r\n`);
  const weight = (kg: number) => `${kg >= 0 ? '+' : '-'}${Math.abs(kg).toFixed(2).padStart(8, '0')}`;
  return {
    driver: 'serial.and-scale',
    intervalMs: 500,
    tick(n) {
      const settling = n % 6 < 3;
      const kg = 70.4 + (settling ? (3 - (n % 6)) * 0.7 : 0);
      switch (scenario) {
        case 'out-of-range':
          return n % 2 ? line('OL,+9999999E+19 kg') : line(`ST,${weight(612.5)} kg`);
        case 'sensor-off':
          return line(`ST,${weight(0)} kg`);
        case 'garbage': {
          // Line noise, then a line cut short, then a good stable line: each ends at CR LF.
          const junk = noise(random, 5).map((b) => (b === 0x0a || b === 0x0d ? 0x20 : b));
          if (n % 3 === 0) return Buffer.concat([junk, line('')]);
          if (n % 3 === 1) return line(`ST,${weight(kg)}`.slice(0, 7));
          return line(`ST,${weight(70.4)} kg`);
        }
        default:
          return line(`${settling ? 'US' : 'ST'},${weight(kg)} kg`);
      }
    },
    describe(n) {
      return `line ${n} (${scenario})`;
    },
  };
}

export const SERIAL_SIMULATORS: Readonly<
  Record<string, (scenario: SerialScenario, seed: number) => SerialSimulator>
> = {
  'nonin-8': nonin8,
  'nonin-2': nonin2,
  'nonin-7': nonin7,
  'and-scale': andScale,
};
