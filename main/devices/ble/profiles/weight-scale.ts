/**
 * Weight Measurement (0x2A9D, indicate) of the Weight Scale Service 0x181D.
 * Layout: Weight Scale Service 1.0 §3.1 / GATT Specification Supplement §3.251 "Weight Measurement":
 *   flags uint8
 *     bit0  units: 0 = SI (weight kg × 0.005, height m × 0.001), 1 = imperial (lb × 0.01, in × 0.1)
 *     bit1  time stamp present (Date Time, 7 bytes)
 *     bit2  user id present (uint8, 0xFF = unknown user)
 *     bit3  BMI (uint16 × 0.1 kg/m²) and height (uint16) present
 *     bits4–7 reserved (ignored)
 *   weight uint16 (0xFFFF = "measurement unsuccessful"), [time stamp], [user id], [BMI, height]
 */
import { roundTo, toCanonical } from '../../../../shared/clinical/units';
import type { ReadingValue } from '../../../../shared/devices/reading';
import {
  DATE_TIME_LENGTH,
  dateTimeToDate,
  parseDateTime,
  readUint16,
  type DeviceDateTime,
} from '../../ieee11073';
import { parseFailure, parsed, type ParseResult } from '../../parse-result';
import { plausibleValue, tidy, type MeasuredValues } from '../measured';
import type { WeightScaleFeature } from './features';

export const WEIGHT_SCALE_SERVICE = '181d';
export const WEIGHT_MEASUREMENT = '2a9d';

export const WS_FLAG_IMPERIAL = 0x01;
export const WS_FLAG_TIMESTAMP = 0x02;
export const WS_FLAG_USER_ID = 0x04;
export const WS_FLAG_BMI_HEIGHT = 0x08;

export const WEIGHT_UNSUCCESSFUL = 0xffff;

export interface WeightMeasurement {
  units: 'SI' | 'imperial';
  /** Raw uint16 weight; scaled by the units' resolution. 0xFFFF means the scale could not measure. */
  rawWeight: number;
  /** Weight in kg (SI) or lb (imperial); undefined when the scale reports "unsuccessful". */
  weight?: number;
  timestamp?: DeviceDateTime;
  userId?: number;
  bmi?: number;
  /** Height in m (SI) or in (imperial). */
  height?: number;
}

export function parseWeightMeasurement(bytes: Uint8Array): ParseResult<WeightMeasurement> {
  if (bytes.length < 1) return parseFailure('TRUNCATED', 'The weight message is empty.');
  const flags = bytes[0]!;
  const need =
    3 +
    (flags & WS_FLAG_TIMESTAMP ? DATE_TIME_LENGTH : 0) +
    (flags & WS_FLAG_USER_ID ? 1 : 0) +
    (flags & WS_FLAG_BMI_HEIGHT ? 4 : 0);
  if (bytes.length < need) return parseFailure('TRUNCATED', 'The weight message is incomplete.');
  const imperial = (flags & WS_FLAG_IMPERIAL) !== 0;
  const rawWeight = readUint16(bytes, 1);
  const value: WeightMeasurement = { units: imperial ? 'imperial' : 'SI', rawWeight };
  if (rawWeight !== WEIGHT_UNSUCCESSFUL) value.weight = imperial ? rawWeight / 100 : (rawWeight * 5) / 1000;
  let offset = 3;
  if (flags & WS_FLAG_TIMESTAMP) {
    const ts = parseDateTime(bytes, offset);
    if (!ts.ok) return ts;
    value.timestamp = ts.value;
    offset += DATE_TIME_LENGTH;
  }
  if (flags & WS_FLAG_USER_ID) {
    value.userId = bytes[offset]!;
    offset += 1;
  }
  if (flags & WS_FLAG_BMI_HEIGHT) {
    value.bmi = readUint16(bytes, offset) / 10;
    const rawHeight = readUint16(bytes, offset + 2);
    value.height = imperial ? rawHeight / 10 : rawHeight / 1000;
  }
  return parsed(value);
}

/** Decimal places of a resolution step: 0.5 → 1, 0.05 → 2, 0.005 → 3, 1 → 0. */
export function decimalsOf(step: number): number {
  const text = String(step);
  const point = text.indexOf('.');
  return point === -1 ? 0 : text.length - point - 1;
}

/** `value` on the grid of `step` (nearest multiple, half away from zero), without float noise. */
function onStep(value: number, step: number): number {
  return tidy(Math.round(tidy(value / step)) * step);
}

/**
 * A value the scale measured to a known resolution (Weight Scale Feature 0x2A9E): kept on that
 * resolution's grid in the unit the scale sent (a conforming scale already is; one that is not does
 * not gain precision it lacks), then in the canonical unit to the decimals of the resolution's SI step,
 * so a 0.05 kg scale gives 72.35 kg and a 0.5 kg scale 72.5 kg, and 0.1 lb becomes hundredths of a kg.
 */
function toResolution(
  value: number,
  sent: { step: number; toCanonical: (v: number) => number },
  canonicalStep: number,
): { value: number; decimals: number } {
  const decimals = decimalsOf(canonicalStep);
  return { value: roundTo(sent.toCanonical(onStep(value, sent.step)), decimals), decimals };
}

export function weightToValues(
  m: WeightMeasurement,
  feature?: WeightScaleFeature,
): ParseResult<MeasuredValues> {
  if (m.weight === undefined)
    return parseFailure('SPECIAL_VALUE', 'The scale could not complete the weighing.');
  const imperial = m.units === 'imperial';
  const notes: string[] = [];
  let kg = imperial ? tidy(toCanonical('bodyWeight', m.weight, '[lb_av]')) : m.weight;
  let weightDecimals: number | undefined;
  const wr = feature?.weightResolution;
  if (wr) {
    const r = imperial
      ? toResolution(
          m.weight,
          { step: wr.lb, toCanonical: (lb) => toCanonical('bodyWeight', lb, '[lb_av]') },
          wr.kg,
        )
      : toResolution(m.weight, { step: wr.kg, toCanonical: (v) => v }, wr.kg);
    kg = r.value;
    weightDecimals = r.decimals;
    notes.push(`Scale resolution ${imperial ? `${wr.lb} lb` : `${wr.kg} kg`}`);
  }
  const weight = plausibleValue('bodyWeight', kg);
  if (!weight.ok) return weight;
  const values: ReadingValue[] = [
    weightDecimals === undefined ? weight.value : { ...weight.value, decimals: weightDecimals },
  ];
  if (m.bmi !== undefined && m.height !== undefined) {
    let cm = imperial ? tidy(toCanonical('bodyHeight', m.height, '[in_i]')) : tidy(m.height * 100);
    let heightDecimals: number | undefined;
    const hr = feature?.heightResolution;
    if (hr) {
      // Height resolution is in m / in; the canonical unit is cm (0.01 m → whole cm, 0.005 m → 0.5 cm).
      const r = imperial
        ? toResolution(
            m.height,
            { step: hr.inches, toCanonical: (i) => toCanonical('bodyHeight', i, '[in_i]') },
            tidy(hr.m * 100),
          )
        : toResolution(m.height, { step: hr.m, toCanonical: (metres) => metres * 100 }, tidy(hr.m * 100));
      cm = r.value;
      heightDecimals = r.decimals;
    }
    // Height and BMI are optional extras: an implausible pair is dropped, the weight still stands.
    const height = plausibleValue('bodyHeight', cm);
    const bmi = plausibleValue('bmi', m.bmi);
    if (height.ok && bmi.ok) {
      values.push(
        heightDecimals === undefined ? height.value : { ...height.value, decimals: heightDecimals },
        bmi.value,
      );
      if (hr) notes.push(`Height resolution ${imperial ? `${hr.inches} in` : `${tidy(hr.m * 100)} cm`}`);
    }
  }
  const result: MeasuredValues = { values, notes };
  const at = m.timestamp ? dateTimeToDate(m.timestamp) : undefined;
  if (at) result.measuredAt = at;
  if (m.userId !== undefined) result.userId = m.userId;
  return parsed(result);
}
