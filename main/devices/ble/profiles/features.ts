/**
 * Feature characteristics: what a device says it can do, read once at connect. Pure parsers per the
 * Bluetooth SIG GATT Specification Supplement: Blood Pressure Feature (0x2A49, 3.31), Weight Scale
 * Feature (0x2A9E, 3.253) and PLX Features (0x2A60, 3.165). Reserved bits are ignored; fields the
 * device does not send are left out. The words are shown in the device details, never clinical values.
 */
import { parsed, parseFailure, type ParseResult } from '../../parse-result';

export const BLOOD_PRESSURE_FEATURE = '2a49';
export const WEIGHT_SCALE_FEATURE = '2a9e';
export const PLX_FEATURES = '2a60';

const bit = (value: number, n: number): boolean => ((value >>> n) & 1) === 1;

export interface BloodPressureFeature {
  bodyMovementDetection: boolean;
  cuffFitDetection: boolean;
  irregularPulseDetection: boolean;
  pulseRateRangeDetection: boolean;
  measurementPositionDetection: boolean;
  multipleBonds: boolean;
}

/** uint16 flags (BLS 1.0 bits 0–5; later bits are not used by this app). */
export function parseBloodPressureFeature(bytes: Uint8Array): ParseResult<BloodPressureFeature> {
  if (bytes.length < 2) return parseFailure('TRUNCATED', 'Blood Pressure Feature is shorter than 2 bytes.');
  const flags = bytes[0]! | (bytes[1]! << 8);
  return parsed({
    bodyMovementDetection: bit(flags, 0),
    cuffFitDetection: bit(flags, 1),
    irregularPulseDetection: bit(flags, 2),
    pulseRateRangeDetection: bit(flags, 3),
    measurementPositionDetection: bit(flags, 4),
    multipleBonds: bit(flags, 5),
  });
}

/** Resolution codes 1–7 of the Weight Scale Feature, in kg and lb (0: not specified). */
const WEIGHT_RESOLUTIONS: readonly (readonly [kg: number, lb: number])[] = [
  [0.5, 1],
  [0.2, 0.5],
  [0.1, 0.2],
  [0.05, 0.1],
  [0.02, 0.05],
  [0.01, 0.02],
  [0.005, 0.01],
];
/** Height resolution codes 1–3, in m and inches. */
const HEIGHT_RESOLUTIONS: readonly (readonly [m: number, inches: number])[] = [
  [0.01, 1],
  [0.005, 0.5],
  [0.001, 0.1],
];

export interface WeightScaleFeature {
  timeStamp: boolean;
  multipleUsers: boolean;
  bmi: boolean;
  /** Absent when the scale does not say (code 0) or sends a reserved code. */
  weightResolution?: { kg: number; lb: number };
  heightResolution?: { m: number; inches: number };
}

/** uint32: bit 0 time stamp, 1 multiple users, 2 BMI, 3–6 weight resolution, 7–9 height resolution. */
export function parseWeightScaleFeature(bytes: Uint8Array): ParseResult<WeightScaleFeature> {
  if (bytes.length < 4) return parseFailure('TRUNCATED', 'Weight Scale Feature is shorter than 4 bytes.');
  const flags = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
  const weight = WEIGHT_RESOLUTIONS[((flags >>> 3) & 0x0f) - 1];
  const height = HEIGHT_RESOLUTIONS[((flags >>> 7) & 0x07) - 1];
  return parsed({
    timeStamp: bit(flags, 0),
    multipleUsers: bit(flags, 1),
    bmi: bit(flags, 2),
    ...(weight ? { weightResolution: { kg: weight[0], lb: weight[1] } } : {}),
    ...(height ? { heightResolution: { m: height[0], inches: height[1] } } : {}),
  });
}

export interface PlxFeatures {
  measurementStatus: boolean;
  deviceAndSensorStatus: boolean;
  spotCheckStorage: boolean;
  spotCheckTimeStamp: boolean;
  fastMetric: boolean;
  slowMetric: boolean;
  pulseAmplitudeIndex: boolean;
  multipleBonds: boolean;
  /** Which Measurement Status bits the device can set (present when `measurementStatus`). */
  measurementStatusSupport?: number;
  /** Which Device and Sensor Status bits it can set, 24-bit (present when `deviceAndSensorStatus`). */
  deviceAndSensorStatusSupport?: number;
}

/** uint16 supported features, then uint16 Measurement Status Support and uint24 Device and Sensor Status Support if flagged. */
export function parsePlxFeatures(bytes: Uint8Array): ParseResult<PlxFeatures> {
  if (bytes.length < 2) return parseFailure('TRUNCATED', 'PLX Features is shorter than 2 bytes.');
  const flags = bytes[0]! | (bytes[1]! << 8);
  const features: PlxFeatures = {
    measurementStatus: bit(flags, 0),
    deviceAndSensorStatus: bit(flags, 1),
    spotCheckStorage: bit(flags, 2),
    spotCheckTimeStamp: bit(flags, 3),
    fastMetric: bit(flags, 4),
    slowMetric: bit(flags, 5),
    pulseAmplitudeIndex: bit(flags, 6),
    multipleBonds: bit(flags, 7),
  };
  let offset = 2;
  if (features.measurementStatus) {
    if (bytes.length < offset + 2)
      return parseFailure(
        'TRUNCATED',
        'PLX Features says it has Measurement Status Support but does not send it.',
      );
    features.measurementStatusSupport = bytes[offset]! | (bytes[offset + 1]! << 8);
    offset += 2;
  }
  if (features.deviceAndSensorStatus) {
    if (bytes.length < offset + 3)
      return parseFailure(
        'TRUNCATED',
        'PLX Features says it has Device and Sensor Status Support but does not send it.',
      );
    features.deviceAndSensorStatusSupport =
      bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16);
  }
  return parsed(features);
}

/** A device's parsed Feature characteristic, by profile (at most one is present). */
export interface DeviceFeatures {
  bloodPressure?: BloodPressureFeature;
  weightScale?: WeightScaleFeature;
  plx?: PlxFeatures;
}

const number = (n: number) => String(n);

/** The features in the nurse's words, for the device details (a device that supports nothing: []). */
export function bloodPressureFeatureWords(f: BloodPressureFeature): string[] {
  return [
    f.bodyMovementDetection && 'Detects body movement',
    f.cuffFitDetection && 'Detects a loose cuff',
    f.irregularPulseDetection && 'Detects irregular pulse',
    f.pulseRateRangeDetection && 'Flags pulse out of range',
    f.measurementPositionDetection && 'Detects wrong measuring position',
    f.multipleBonds && 'Pairs with several computers',
  ].filter((w): w is string => typeof w === 'string');
}

export function weightScaleFeatureWords(f: WeightScaleFeature): string[] {
  return [
    f.weightResolution &&
      `Weighs to ${number(f.weightResolution.kg)} kg (${number(f.weightResolution.lb)} lb)`,
    f.heightResolution &&
      `Measures height to ${number(f.heightResolution.m)} m (${number(f.heightResolution.inches)} in)`,
    f.bmi && 'Sends BMI',
    f.multipleUsers && 'Several users',
    f.timeStamp && 'Time-stamps weighings',
  ].filter((w): w is string => typeof w === 'string');
}

export function plxFeatureWords(f: PlxFeatures): string[] {
  return [
    f.spotCheckStorage && 'Stores spot checks',
    f.spotCheckTimeStamp && 'Time-stamps spot checks',
    f.fastMetric && 'Fast-responding SpO₂ and pulse',
    f.slowMetric && 'Slow-responding SpO₂ and pulse',
    f.pulseAmplitudeIndex && 'Pulse amplitude index (perfusion)',
    f.measurementStatus && 'Reports measurement status',
    f.deviceAndSensorStatus && 'Reports device and sensor status',
    f.multipleBonds && 'Pairs with several computers',
  ].filter((w): w is string => typeof w === 'string');
}
