/**
 * Throughput of each Bluetooth LE profile parser, and of parse + mapping to canonical readings, on
 * frames with every optional field present (the most work per frame). Target: ≥ 1,000,000 frames/s each.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ParseResult } from '../main/devices/parse-result';
import {
  bloodPressureToValues,
  parseBloodPressureMeasurement,
} from '../main/devices/ble/profiles/blood-pressure';
import {
  glucoseToValues,
  parseGlucoseMeasurement,
  parseRacpResponse,
} from '../main/devices/ble/profiles/glucose';
import {
  parseTemperatureMeasurement,
  temperatureToValues,
} from '../main/devices/ble/profiles/health-thermometer';
import { heartRateToValues, parseHeartRateMeasurement } from '../main/devices/ble/profiles/heart-rate';
import {
  parsePlxContinuousMeasurement,
  parsePlxSpotCheckMeasurement,
  pulseOximetryToValues,
} from '../main/devices/ble/profiles/pulse-oximeter';
import { parseWeightMeasurement, weightToValues } from '../main/devices/ble/profiles/weight-scale';
import {
  encodeBloodPressure,
  encodeGlucose,
  encodeHeartRate,
  encodePlxContinuous,
  encodePlxSpotCheck,
  encodeRacpResponseCode,
  encodeTemperature,
  encodeWeight,
  float32,
  sfloat,
} from '../test/sim/ble/encoders';
import { createReport } from './report';

const T = { year: 2025, month: 6, day: 2, hours: 10, minutes: 15, seconds: 0 };
const TARGET = 1_000_000;

interface Case {
  name: string;
  frame: Uint8Array;
  run: (bytes: Uint8Array) => ParseResult<unknown>;
}

function then<T, U>(parse: (b: Uint8Array) => ParseResult<T>, map: (m: T) => ParseResult<U>) {
  return (b: Uint8Array): ParseResult<U> => {
    const r = parse(b);
    return r.ok ? map(r.value) : r;
  };
}

const hr = encodeHeartRate({ heartRate: 72, contact: 'detected', energyExpended: 100, rr: [850, 860] });
const bp = encodeBloodPressure({
  systolic: sfloat(122),
  diastolic: sfloat(78),
  meanArterialPressure: sfloat(93),
  timestamp: T,
  pulseRate: sfloat(64),
  userId: 1,
  status: 0,
});
const temp = encodeTemperature({ fahrenheit: true, temperature: float32(989, -1), timestamp: T, type: 6 });
const weight = encodeWeight({
  imperial: true,
  weight: 15432,
  timestamp: T,
  userId: 1,
  bmiHeight: { bmi: 229, height: 690 },
});
const spot = encodePlxSpotCheck({
  spo2: sfloat(97),
  pulseRate: sfloat(71),
  timestamp: T,
  measurementStatus: 0x80,
  deviceAndSensorStatus: 0,
  pulseAmplitudeIndex: sfloat(50, -1),
});
const cont = encodePlxContinuous({
  spo2: sfloat(97),
  pulseRate: sfloat(71),
  fast: { spo2: sfloat(96), pulseRate: sfloat(72) },
  slow: { spo2: sfloat(98), pulseRate: sfloat(70) },
  measurementStatus: 0x100,
  deviceAndSensorStatus: 0,
  pulseAmplitudeIndex: sfloat(12, -1),
});
const glucose = encodeGlucose({
  sequenceNumber: 9,
  baseTime: T,
  timeOffset: 5,
  concentration: { value: sfloat(95, -5), type: 1, location: 1 },
  sensorStatus: 0,
});

const CASES: Case[] = [
  { name: 'heart-rate', frame: hr, run: parseHeartRateMeasurement },
  { name: 'blood-pressure', frame: bp, run: parseBloodPressureMeasurement },
  { name: 'thermometer', frame: temp, run: parseTemperatureMeasurement },
  { name: 'weight-scale', frame: weight, run: parseWeightMeasurement },
  { name: 'plx-spot-check', frame: spot, run: parsePlxSpotCheckMeasurement },
  { name: 'plx-continuous', frame: cont, run: parsePlxContinuousMeasurement },
  { name: 'glucose', frame: glucose, run: parseGlucoseMeasurement },
  { name: 'racp', frame: encodeRacpResponseCode(1, 1), run: parseRacpResponse },
  { name: 'heart-rate-to-reading', frame: hr, run: then(parseHeartRateMeasurement, heartRateToValues) },
  {
    name: 'blood-pressure-to-reading',
    frame: bp,
    run: then(parseBloodPressureMeasurement, bloodPressureToValues),
  },
  {
    name: 'thermometer-to-reading',
    frame: temp,
    run: then(parseTemperatureMeasurement, temperatureToValues),
  },
  { name: 'weight-scale-to-reading', frame: weight, run: then(parseWeightMeasurement, weightToValues) },
  {
    name: 'plx-spot-check-to-reading',
    frame: spot,
    run: then(parsePlxSpotCheckMeasurement, pulseOximetryToValues),
  },
  {
    name: 'plx-continuous-to-reading',
    frame: cont,
    run: then(parsePlxContinuousMeasurement, pulseOximetryToValues),
  },
  { name: 'glucose-to-reading', frame: glucose, run: then(parseGlucoseMeasurement, glucoseToValues) },
];

/** Frames per second over ~0.5 s after a warm-up; the best of three rounds (less noise from other processes). */
function measure(c: Case): number {
  if (!c.run(c.frame).ok) throw new Error(`${c.name}: the benchmark frame does not parse`);
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += c.run(c.frame).ok ? 1 : 0;
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let frames = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < 500) {
      for (let i = 0; i < 10_000; i++) sink += c.run(c.frame).ok ? 1 : 0;
      frames += 10_000;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (frames / elapsed) * 1000);
  }
  if (sink === 0) throw new Error('nothing parsed');
  return best;
}

export default async function bench(): Promise<void> {
  const report = createReport('ble-parsers');
  for (const c of CASES) report.figure(`${c.name} throughput`, measure(c), 'frames/s', '>=', TARGET);
  const file = report.write({
    note: 'Every optional field present; single thread; best of three 0.5 s rounds.',
    // Other processes share the two cores; the 1-minute load average says how much.
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
  });
  console.log(`written ${file}`);
}
