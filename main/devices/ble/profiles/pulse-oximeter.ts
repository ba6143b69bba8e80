/**
 * PLX Spot-check Measurement (0x2A5E, indicate) and PLX Continuous Measurement (0x2A5F, notify) of
 * the Pulse Oximeter Service 0x1822.
 * Layouts: Pulse Oximeter Service 1.0.1 §3.1–3.2 / GATT Specification Supplement §3.172–3.173.
 *
 * Spot-check: flags uint8
 *     bit0  time stamp present (Date Time, 7 bytes)
 *     bit1  measurement status present (uint16)
 *     bit2  device and sensor status present (uint24)
 *     bit3  pulse amplitude index present (SFLOAT, %)
 *     bit4  device clock is not set (the time stamp, if any, is not to be trusted)
 *     bits5–7 reserved (ignored)
 *   SpO2 SFLOAT (%), pulse rate SFLOAT (/min), [time stamp], [measurement status],
 *   [device and sensor status], [pulse amplitude index]
 *
 * Continuous: flags uint8
 *     bit0  SpO2PR-Fast present (SFLOAT pair)
 *     bit1  SpO2PR-Slow present (SFLOAT pair)
 *     bit2  measurement status present (uint16)
 *     bit3  device and sensor status present (uint24)
 *     bit4  pulse amplitude index present (SFLOAT)
 *     bits5–7 reserved (ignored)
 *   SpO2PR-Normal (SpO2 SFLOAT, PR SFLOAT), [SpO2PR-Fast], [SpO2PR-Slow], [measurement status],
 *   [device and sensor status], [pulse amplitude index]
 *
 * Measurement status bits (§3.172.2.4; bits 0–4 reserved): 5 measurement ongoing, 6 early estimated
 * data, 7 validated data, 8 fully qualified data, 9 data from measurement storage, 10 data for
 * demonstration, 11 data for testing, 12 calibration ongoing, 13 measurement unavailable,
 * 14 questionable measurement detected, 15 invalid measurement detected.
 * Device and sensor status bits (§3.172.2.5; 16–23 reserved): 0 extended display update ongoing,
 * 1 equipment malfunction, 2 signal processing irregularity, 3 inadequate signal, 4 poor signal,
 * 5 low perfusion, 6 erratic signal, 7 non-pulsatile signal, 8 questionable pulse, 9 signal analysis
 * ongoing, 10 sensor interference, 11 sensor unconnected to user, 12 unknown sensor connected,
 * 13 sensor displaced, 14 sensor malfunctioning, 15 sensor disconnected.
 */
import {
  DATE_TIME_LENGTH,
  dateTimeToDate,
  parseDateTime,
  readSfloat,
  readUint16,
  type DeviceDateTime,
  type Ieee11073Number,
} from '../../ieee11073';
import { parseFailure, parsed, type ParseResult } from '../../parse-result';
import { numberOf, plausibleValue, type MeasuredValues } from '../measured';
import type { PlxFeatures } from './features';

export const PULSE_OXIMETER_SERVICE = '1822';
export const PLX_SPOT_CHECK_MEASUREMENT = '2a5e';
export const PLX_CONTINUOUS_MEASUREMENT = '2a5f';

export const PLX_SPOT_FLAG_TIMESTAMP = 0x01;
export const PLX_SPOT_FLAG_MEASUREMENT_STATUS = 0x02;
export const PLX_SPOT_FLAG_DEVICE_STATUS = 0x04;
export const PLX_SPOT_FLAG_PULSE_AMPLITUDE = 0x08;
export const PLX_SPOT_FLAG_CLOCK_NOT_SET = 0x10;

export const PLX_CONT_FLAG_FAST = 0x01;
export const PLX_CONT_FLAG_SLOW = 0x02;
export const PLX_CONT_FLAG_MEASUREMENT_STATUS = 0x04;
export const PLX_CONT_FLAG_DEVICE_STATUS = 0x08;
export const PLX_CONT_FLAG_PULSE_AMPLITUDE = 0x10;

export const PLX_STATUS_ONGOING = 1 << 5;
export const PLX_STATUS_EARLY_ESTIMATE = 1 << 6;
export const PLX_STATUS_DEMONSTRATION = 1 << 10;
export const PLX_STATUS_TESTING = 1 << 11;
export const PLX_STATUS_CALIBRATION = 1 << 12;
export const PLX_STATUS_UNAVAILABLE = 1 << 13;
export const PLX_STATUS_QUESTIONABLE = 1 << 14;
export const PLX_STATUS_INVALID = 1 << 15;

export const PLX_DEVICE_MALFUNCTION = 1 << 1;
export const PLX_DEVICE_LOW_PERFUSION = 1 << 5;
export const PLX_SENSOR_UNCONNECTED = 1 << 11;
export const PLX_SENSOR_DISPLACED = 1 << 13;
export const PLX_SENSOR_MALFUNCTIONING = 1 << 14;
export const PLX_SENSOR_DISCONNECTED = 1 << 15;

export interface SpO2PulseRate {
  spo2: Ieee11073Number;
  pulseRate: Ieee11073Number;
}

export interface PlxSpotCheckMeasurement extends SpO2PulseRate {
  timestamp?: DeviceDateTime;
  deviceClockNotSet: boolean;
  measurementStatus?: number;
  deviceAndSensorStatus?: number;
  pulseAmplitudeIndex?: Ieee11073Number;
}

export interface PlxContinuousMeasurement extends SpO2PulseRate {
  fast?: SpO2PulseRate;
  slow?: SpO2PulseRate;
  measurementStatus?: number;
  deviceAndSensorStatus?: number;
  pulseAmplitudeIndex?: Ieee11073Number;
}

function readUint24(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16);
}

export function parsePlxSpotCheckMeasurement(bytes: Uint8Array): ParseResult<PlxSpotCheckMeasurement> {
  if (bytes.length < 1) return parseFailure('TRUNCATED', 'The pulse-oximeter message is empty.');
  const flags = bytes[0]!;
  const need =
    5 +
    (flags & PLX_SPOT_FLAG_TIMESTAMP ? DATE_TIME_LENGTH : 0) +
    (flags & PLX_SPOT_FLAG_MEASUREMENT_STATUS ? 2 : 0) +
    (flags & PLX_SPOT_FLAG_DEVICE_STATUS ? 3 : 0) +
    (flags & PLX_SPOT_FLAG_PULSE_AMPLITUDE ? 2 : 0);
  if (bytes.length < need) return parseFailure('TRUNCATED', 'The pulse-oximeter message is incomplete.');
  const value: PlxSpotCheckMeasurement = {
    spo2: readSfloat(bytes, 1),
    pulseRate: readSfloat(bytes, 3),
    deviceClockNotSet: (flags & PLX_SPOT_FLAG_CLOCK_NOT_SET) !== 0,
  };
  let offset = 5;
  if (flags & PLX_SPOT_FLAG_TIMESTAMP) {
    const ts = parseDateTime(bytes, offset);
    if (!ts.ok) return ts;
    value.timestamp = ts.value;
    offset += DATE_TIME_LENGTH;
  }
  if (flags & PLX_SPOT_FLAG_MEASUREMENT_STATUS) {
    value.measurementStatus = readUint16(bytes, offset);
    offset += 2;
  }
  if (flags & PLX_SPOT_FLAG_DEVICE_STATUS) {
    value.deviceAndSensorStatus = readUint24(bytes, offset);
    offset += 3;
  }
  if (flags & PLX_SPOT_FLAG_PULSE_AMPLITUDE) value.pulseAmplitudeIndex = readSfloat(bytes, offset);
  return parsed(value);
}

export function parsePlxContinuousMeasurement(bytes: Uint8Array): ParseResult<PlxContinuousMeasurement> {
  if (bytes.length < 1) return parseFailure('TRUNCATED', 'The pulse-oximeter message is empty.');
  const flags = bytes[0]!;
  const need =
    5 +
    (flags & PLX_CONT_FLAG_FAST ? 4 : 0) +
    (flags & PLX_CONT_FLAG_SLOW ? 4 : 0) +
    (flags & PLX_CONT_FLAG_MEASUREMENT_STATUS ? 2 : 0) +
    (flags & PLX_CONT_FLAG_DEVICE_STATUS ? 3 : 0) +
    (flags & PLX_CONT_FLAG_PULSE_AMPLITUDE ? 2 : 0);
  if (bytes.length < need) return parseFailure('TRUNCATED', 'The pulse-oximeter message is incomplete.');
  const value: PlxContinuousMeasurement = { spo2: readSfloat(bytes, 1), pulseRate: readSfloat(bytes, 3) };
  let offset = 5;
  if (flags & PLX_CONT_FLAG_FAST) {
    value.fast = { spo2: readSfloat(bytes, offset), pulseRate: readSfloat(bytes, offset + 2) };
    offset += 4;
  }
  if (flags & PLX_CONT_FLAG_SLOW) {
    value.slow = { spo2: readSfloat(bytes, offset), pulseRate: readSfloat(bytes, offset + 2) };
    offset += 4;
  }
  if (flags & PLX_CONT_FLAG_MEASUREMENT_STATUS) {
    value.measurementStatus = readUint16(bytes, offset);
    offset += 2;
  }
  if (flags & PLX_CONT_FLAG_DEVICE_STATUS) {
    value.deviceAndSensorStatus = readUint24(bytes, offset);
    offset += 3;
  }
  if (flags & PLX_CONT_FLAG_PULSE_AMPLITUDE) value.pulseAmplitudeIndex = readSfloat(bytes, offset);
  return parsed(value);
}

type PlxMeasurement = PlxSpotCheckMeasurement | PlxContinuousMeasurement;

/** Only a spot check carries the clock-not-set flag, so it tells the two kinds apart. */
function isSpotCheck(m: PlxMeasurement): m is PlxSpotCheckMeasurement {
  return 'deviceClockNotSet' in m;
}

/**
 * Which status bits may become a note. PLX Features (0x2A60) says which Measurement Status and Device
 * and Sensor Status bits the oximeter can set at all; a bit it cannot set is not a finding, so its note
 * is left out. Without PLX Features every bit counts, as before. Refusals (sensor off, fault, invalid,
 * settling, demonstration data) stand whatever the features say: an oximeter that says its value is
 * not to be used is never overruled.
 */
function trustedBits(
  features: PlxFeatures | undefined,
  bits: { measurement: number; sensor: number },
): { measurement: number; sensor: number } {
  if (!features) return bits;
  return {
    measurement:
      bits.measurement & (features.measurementStatus ? (features.measurementStatusSupport ?? 0) : 0),
    sensor: bits.sensor & (features.deviceAndSensorStatus ? (features.deviceAndSensorStatusSupport ?? 0) : 0),
  };
}

export function pulseOximetryToValues(
  m: PlxMeasurement,
  features?: PlxFeatures,
): ParseResult<MeasuredValues> {
  const sensor = m.deviceAndSensorStatus ?? 0;
  if (sensor & (PLX_SENSOR_UNCONNECTED | PLX_SENSOR_DISCONNECTED | PLX_SENSOR_DISPLACED)) {
    return parseFailure('UNSTABLE', 'The oximeter sensor is not on the finger.');
  }
  if (sensor & (PLX_SENSOR_MALFUNCTIONING | PLX_DEVICE_MALFUNCTION)) {
    return parseFailure('UNSTABLE', 'The oximeter reports a sensor fault.');
  }
  const status = m.measurementStatus ?? 0;
  if (status & (PLX_STATUS_UNAVAILABLE | PLX_STATUS_INVALID)) {
    return parseFailure('UNSTABLE', 'The oximeter says this measurement is not valid.');
  }
  // "Measurement ongoing" says a spot check has not settled yet; on the continuous stream it is set
  // for as long as the probe streams, so there the value is live (§3.172.2.4 vs §3.173).
  const settling =
    PLX_STATUS_CALIBRATION | PLX_STATUS_EARLY_ESTIMATE | (isSpotCheck(m) ? PLX_STATUS_ONGOING : 0);
  if (status & settling) {
    return parseFailure('UNSTABLE', 'The oximeter is still settling; wait for a steady reading.');
  }
  // Demonstration or test data must never reach a patient's chart.
  if (status & (PLX_STATUS_DEMONSTRATION | PLX_STATUS_TESTING)) {
    return parseFailure('UNSTABLE', 'The oximeter is in demonstration or test mode.');
  }
  const spo2Raw = numberOf(m.spo2);
  if (!spo2Raw.ok) return spo2Raw;
  const spo2 = plausibleValue('spo2', spo2Raw.value);
  if (!spo2.ok) return spo2;
  const values = [spo2.value];
  const prRaw = numberOf(m.pulseRate);
  if (prRaw.ok) {
    const pr = plausibleValue('heartRate', prRaw.value);
    if (!pr.ok) return pr;
    values.push(pr.value);
  }
  const notes: string[] = [];
  const trusted = trustedBits(features, { measurement: status, sensor });
  if (trusted.measurement & PLX_STATUS_QUESTIONABLE)
    notes.push('The oximeter flagged this measurement as questionable');
  if (trusted.sensor & PLX_DEVICE_LOW_PERFUSION) notes.push('Low perfusion');
  const result: MeasuredValues = { values, notes };
  if (isSpotCheck(m) && m.timestamp && !m.deviceClockNotSet) {
    const at = dateTimeToDate(m.timestamp);
    if (at) result.measuredAt = at;
  }
  return parsed(result);
}
