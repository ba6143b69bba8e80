/**
 * Heart Rate Measurement (0x2A37, notify) of the Heart Rate Service 0x180D.
 * Layout: Heart Rate Service 1.0 §3.1 / GATT Specification Supplement §3.113 "Heart Rate Measurement":
 *   flags uint8
 *     bit0  value format: 0 = uint8, 1 = uint16
 *     bit1  sensor contact detected (meaningful only when bit2 is set)
 *     bit2  sensor contact feature supported
 *     bit3  energy expended (uint16, kJ) present
 *     bit4  RR intervals present (uint16 each, 1/1024 s, as many as fit)
 *     bits5–7 reserved (ignored)
 *   heart rate (uint8 | uint16, /min), [energy expended uint16], [RR-interval uint16]*
 */
import { readUint16 } from '../../ieee11073';
import { parseFailure, parsed, type ParseResult } from '../../parse-result';
import { plausibleValue, type MeasuredValues } from '../measured';

export const HEART_RATE_SERVICE = '180d';
export const HEART_RATE_MEASUREMENT = '2a37';

export const HR_FLAG_UINT16 = 0x01;
export const HR_FLAG_CONTACT_DETECTED = 0x02;
export const HR_FLAG_CONTACT_SUPPORTED = 0x04;
export const HR_FLAG_ENERGY_EXPENDED = 0x08;
export const HR_FLAG_RR_INTERVALS = 0x10;

export type SensorContact = 'not-supported' | 'detected' | 'not-detected';

export interface HeartRateMeasurement {
  heartRate: number;
  sensorContact: SensorContact;
  /** Cumulative energy expended, kJ. */
  energyExpended?: number;
  /** RR intervals in seconds (raw 1/1024 s units divided by 1024). */
  rrIntervals: number[];
}

export function parseHeartRateMeasurement(bytes: Uint8Array): ParseResult<HeartRateMeasurement> {
  if (bytes.length < 1) return parseFailure('TRUNCATED', 'The heart-rate message is empty.');
  const flags = bytes[0]!;
  const wide = (flags & HR_FLAG_UINT16) !== 0;
  let offset = 1;
  const need = offset + (wide ? 2 : 1) + (flags & HR_FLAG_ENERGY_EXPENDED ? 2 : 0);
  if (bytes.length < need) return parseFailure('TRUNCATED', 'The heart-rate message is incomplete.');
  const heartRate = wide ? readUint16(bytes, offset) : bytes[offset]!;
  offset += wide ? 2 : 1;
  const sensorContact: SensorContact =
    (flags & HR_FLAG_CONTACT_SUPPORTED) === 0
      ? 'not-supported'
      : (flags & HR_FLAG_CONTACT_DETECTED) !== 0
        ? 'detected'
        : 'not-detected';
  let energyExpended: number | undefined;
  if (flags & HR_FLAG_ENERGY_EXPENDED) {
    energyExpended = readUint16(bytes, offset);
    offset += 2;
  }
  const rrIntervals: number[] = [];
  if (flags & HR_FLAG_RR_INTERVALS) {
    // An odd trailing byte cannot be an RR interval: the frame was cut.
    if ((bytes.length - offset) % 2 !== 0) {
      return parseFailure('TRUNCATED', 'The heart-rate message is incomplete.');
    }
    for (; offset + 1 < bytes.length; offset += 2) rrIntervals.push(readUint16(bytes, offset) / 1024);
  }
  const value: HeartRateMeasurement = { heartRate, sensorContact, rrIntervals };
  if (energyExpended !== undefined) value.energyExpended = energyExpended;
  return parsed(value);
}

export function heartRateToValues(m: HeartRateMeasurement): ParseResult<MeasuredValues> {
  if (m.sensorContact === 'not-detected') {
    return parseFailure('UNSTABLE', 'The heart-rate sensor is not touching the skin.');
  }
  const hr = plausibleValue('heartRate', m.heartRate);
  if (!hr.ok) return hr;
  const notes: string[] = [];
  if (m.rrIntervals.length > 0) notes.push(`${m.rrIntervals.length} RR intervals received`);
  return parsed({ values: [hr.value], notes });
}
