/**
 * Fuzzing every BLE parser: over a million random payloads and mutations of valid frames (bit flips,
 * byte swaps, truncations, extensions). No exception may escape and nothing outside the plausible
 * adult ranges (DOMAIN.md) may come out as a reading. The generator is seeded so a failure replays.
 */
import { describe, expect, it } from 'vitest';
import { BLE_DRIVERS } from '../../../main/devices/ble/drivers';
import { parseBatteryLevel } from '../../../main/devices/ble/profiles/battery';
import { parseDeviceInformationString } from '../../../main/devices/ble/profiles/device-information';
import { parseIntermediateCuffPressure } from '../../../main/devices/ble/profiles/blood-pressure';
import { parseRacpResponse } from '../../../main/devices/ble/profiles/glucose';
import { checkPlausible } from '../../../shared/clinical/plausibility';
import { VITALS } from '../../../shared/clinical/vital-signs';
import type { ParseErrorCode } from '../../../main/devices/parse-result';
import {
  encodeBloodPressure,
  encodeGlucose,
  encodeHeartRate,
  encodePlxContinuous,
  encodePlxSpotCheck,
  encodeRacpNumberOfRecords,
  encodeRacpResponseCode,
  encodeTemperature,
  encodeWeight,
  float32,
  sfloat,
} from '../../sim/ble/encoders';
import { PROFILE_SPECS, SIM_PROFILES } from '../../sim/ble/devices';

/** xorshift32: small, fast, seeded. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const T = { year: 2025, month: 1, day: 2, hours: 3, minutes: 4, seconds: 5 };

/** Valid frames of every characteristic, with every optional field present, to mutate. */
const SEEDS: Record<string, Uint8Array[]> = {
  '2a37': [
    encodeHeartRate({ heartRate: 70, contact: 'detected', energyExpended: 10, rr: [900, 901, 902] }),
    encodeHeartRate({ heartRate: 180, wide: true }),
  ],
  '2a35': [
    encodeBloodPressure({
      kpa: true,
      systolic: sfloat(160, -1),
      diastolic: sfloat(107, -1),
      meanArterialPressure: sfloat(124, -1),
      timestamp: T,
      pulseRate: sfloat(70),
      userId: 1,
      status: 0x3f,
    }),
    encodeBloodPressure({ systolic: sfloat(120), diastolic: sfloat(80), meanArterialPressure: sfloat(93) }),
  ],
  '2a1c': [
    encodeTemperature({ fahrenheit: true, temperature: float32(986, -1), timestamp: T, type: 2 }),
    encodeTemperature({ temperature: float32(365, -1) }),
  ],
  '2a9d': [
    encodeWeight({
      imperial: true,
      weight: 15000,
      timestamp: T,
      userId: 3,
      bmiHeight: { bmi: 230, height: 690 },
    }),
    encodeWeight({ weight: 14000 }),
  ],
  '2a5e': [
    encodePlxSpotCheck({
      spo2: sfloat(97),
      pulseRate: sfloat(70),
      timestamp: T,
      measurementStatus: 0x80,
      deviceAndSensorStatus: 0x20,
      pulseAmplitudeIndex: sfloat(50, -1),
    }),
  ],
  '2a5f': [
    encodePlxContinuous({
      spo2: sfloat(97),
      pulseRate: sfloat(70),
      fast: { spo2: sfloat(96), pulseRate: sfloat(71) },
      slow: { spo2: sfloat(98), pulseRate: sfloat(69) },
      measurementStatus: 0x100,
      deviceAndSensorStatus: 0,
      pulseAmplitudeIndex: sfloat(12, -1),
    }),
  ],
  '2a18': [
    encodeGlucose({
      sequenceNumber: 7,
      baseTime: T,
      timeOffset: -30,
      concentration: { value: sfloat(100, -5), type: 1, location: 1 },
      sensorStatus: 0,
    }),
    encodeGlucose({
      sequenceNumber: 8,
      baseTime: T,
      concentration: { value: sfloat(55, -4), molPerL: true, type: 2, location: 2 },
    }),
  ],
};
for (const p of SIM_PROFILES) {
  const spec = PROFILE_SPECS[p];
  for (const frame of Object.values(spec.frames)) (SEEDS[spec.measurement] ??= []).push(frame);
}

type Target = { name: string; seeds: Uint8Array[]; run: (b: Uint8Array) => void };

let emitted = 0;
const violations: string[] = [];
const errorCodes = new Set<ParseErrorCode>();
const KNOWN_CODES: readonly ParseErrorCode[] = [
  'TRUNCATED',
  'BAD_FLAGS',
  'BAD_CHECKSUM',
  'SPECIAL_VALUE',
  'OUT_OF_RANGE',
  'UNSTABLE',
  'GARBAGE',
];

const targets: Target[] = BLE_DRIVERS.flatMap((driver) =>
  driver.measurements.map((source) => ({
    name: `${driver.id}/${source.characteristic}`,
    seeds: SEEDS[source.characteristic] ?? [],
    run: (bytes: Uint8Array) => {
      const r = source.toValues(bytes);
      if (!r.ok) {
        errorCodes.add(r.error.code);
        if (!KNOWN_CODES.includes(r.error.code) || !r.error.message)
          violations.push(`${driver.id}: bad error`);
        return;
      }
      emitted++;
      const kinds = new Map<string, number>();
      for (const v of r.value.values) {
        kinds.set(v.kind, v.value);
        if (
          !Number.isFinite(v.value) ||
          !checkPlausible(v.kind, v.value).ok ||
          v.unit !== VITALS[v.kind].unit
        ) {
          if (violations.length < 20) violations.push(`${driver.id}: ${v.kind} implausible`);
        }
      }
      const sys = kinds.get('systolic');
      const dia = kinds.get('diastolic');
      if (sys !== undefined && dia !== undefined && dia >= sys)
        violations.push(`${driver.id}: diastolic ≥ systolic`);
      if (r.value.measuredAt && Number.isNaN(r.value.measuredAt.getTime()))
        violations.push(`${driver.id}: bad time`);
    },
  })),
);
targets.push(
  { name: 'cuff', seeds: SEEDS['2a35']!, run: (b) => void parseIntermediateCuffPressure(b) },
  {
    name: 'racp',
    seeds: [encodeRacpResponseCode(1, 1), encodeRacpNumberOfRecords(4)],
    run: (b) => void parseRacpResponse(b),
  },
  { name: 'battery', seeds: [Uint8Array.of(50)], run: (b) => void parseBatteryLevel(b) },
  {
    name: 'dis',
    seeds: [new TextEncoder().encode('Maker Inc.')],
    run: (b) => void parseDeviceInformationString(b),
  },
);

function mutate(next: () => number, seed: Uint8Array): Uint8Array {
  const op = next() % 5;
  const out = new Uint8Array(seed.length + 8);
  out.set(seed);
  let length = seed.length;
  switch (op) {
    case 0: // bit flips
      for (let i = 1 + (next() % 3); i > 0; i--) if (length > 0) out[next() % length]! ^= 1 << (next() % 8);
      break;
    case 1: // random byte replacements
      for (let i = 1 + (next() % 3); i > 0; i--) if (length > 0) out[next() % length] = next() & 0xff;
      break;
    case 2: // truncation
      length = next() % (seed.length + 1);
      break;
    case 3: // extension with random bytes
      for (let i = seed.length; i < out.length; i++) out[i] = next() & 0xff;
      length = seed.length + 1 + (next() % 8);
      break;
    case 4: // flags byte replaced, so fields shift
      if (length > 0) out[0] = next() & 0xff;
      break;
  }
  return out.subarray(0, length);
}

describe('BLE parser fuzzing', () => {
  it('survives over a million random and mutated payloads and emits only plausible readings', () => {
    const next = rng(0xb1e5eed);
    const perTarget = Math.ceil(1_050_000 / targets.length);
    let total = 0;
    const buffer = new Uint8Array(48);
    for (const target of targets) {
      expect(target.seeds.length, target.name).toBeGreaterThan(0);
      for (let i = 0; i < perTarget; i++) {
        let payload: Uint8Array;
        if (i % 2 === 0) {
          const length = next() % buffer.length;
          for (let j = 0; j < length; j++) buffer[j] = next() & 0xff;
          payload = buffer.subarray(0, length);
        } else {
          payload = mutate(next, target.seeds[next() % target.seeds.length]!);
        }
        try {
          target.run(payload);
        } catch (error) {
          violations.push(`${target.name} threw ${String(error)} on ${Buffer.from(payload).toString('hex')}`);
        }
        total++;
      }
    }
    expect(violations).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(1_000_000);
    // The fuzzer reached both sides: readings came out, and each kind of refusal was exercised.
    expect(emitted).toBeGreaterThan(10_000);
    for (const code of ['TRUNCATED', 'SPECIAL_VALUE', 'OUT_OF_RANGE', 'UNSTABLE', 'GARBAGE'] as const)
      expect(errorCodes).toContain(code);
  });
});
