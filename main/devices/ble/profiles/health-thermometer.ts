/**
 * Temperature Measurement (0x2A1C, indicate) of the Health Thermometer Service 0x1809.
 * Layout: Health Thermometer Service 1.0 §3.1 / GATT Specification Supplement §3.216 "Temperature
 * Measurement":
 *   flags uint8
 *     bit0  units: 0 = Celsius, 1 = Fahrenheit
 *     bit1  time stamp present (Date Time, 7 bytes)
 *     bit2  temperature type present (uint8)
 *     bits3–7 reserved (ignored)
 *   temperature FLOAT, [time stamp], [temperature type]
 * Temperature Type (GATT Specification Supplement §3.217): 1 armpit, 2 body (general), 3 ear,
 * 4 finger, 5 gastro-intestinal tract, 6 mouth, 7 rectum, 8 toe, 9 tympanum; others reserved.
 */
import { toCanonical } from '../../../../shared/clinical/units';
import {
  DATE_TIME_LENGTH,
  dateTimeToDate,
  parseDateTime,
  readFloat,
  type DeviceDateTime,
  type Ieee11073Number,
} from '../../ieee11073';
import { parseFailure, parsed, type ParseResult } from '../../parse-result';
import { numberOf, plausibleValue, tidy, type MeasuredValues } from '../measured';

export const HEALTH_THERMOMETER_SERVICE = '1809';
export const TEMPERATURE_MEASUREMENT = '2a1c';

export const HT_FLAG_FAHRENHEIT = 0x01;
export const HT_FLAG_TIMESTAMP = 0x02;
export const HT_FLAG_TYPE = 0x04;

export const TEMPERATURE_SITES: Readonly<Record<number, string>> = {
  1: 'armpit',
  2: 'body (general)',
  3: 'ear',
  4: 'finger',
  5: 'gastro-intestinal tract',
  6: 'mouth',
  7: 'rectum',
  8: 'toe',
  9: 'tympanum (ear drum)',
};

export interface TemperatureMeasurement {
  unit: 'Cel' | '[degF]';
  temperature: Ieee11073Number;
  timestamp?: DeviceDateTime;
  /** Raw Temperature Type code; see TEMPERATURE_SITES. */
  temperatureType?: number;
}

export function parseTemperatureMeasurement(bytes: Uint8Array): ParseResult<TemperatureMeasurement> {
  if (bytes.length < 1) return parseFailure('TRUNCATED', 'The temperature message is empty.');
  const flags = bytes[0]!;
  const need = 5 + (flags & HT_FLAG_TIMESTAMP ? DATE_TIME_LENGTH : 0) + (flags & HT_FLAG_TYPE ? 1 : 0);
  if (bytes.length < need) return parseFailure('TRUNCATED', 'The temperature message is incomplete.');
  const value: TemperatureMeasurement = {
    unit: flags & HT_FLAG_FAHRENHEIT ? '[degF]' : 'Cel',
    temperature: readFloat(bytes, 1),
  };
  let offset = 5;
  if (flags & HT_FLAG_TIMESTAMP) {
    const ts = parseDateTime(bytes, offset);
    if (!ts.ok) return ts;
    value.timestamp = ts.value;
    offset += DATE_TIME_LENGTH;
  }
  if (flags & HT_FLAG_TYPE) value.temperatureType = bytes[offset]!;
  return parsed(value);
}

export function temperatureToValues(m: TemperatureMeasurement): ParseResult<MeasuredValues> {
  const raw = numberOf(m.temperature);
  if (!raw.ok) return raw;
  const celsius = m.unit === '[degF]' ? tidy(toCanonical('bodyTemperature', raw.value, '[degF]')) : raw.value;
  const temp = plausibleValue('bodyTemperature', celsius);
  if (!temp.ok) return temp;
  const notes: string[] = [];
  if (m.temperatureType !== undefined) {
    const site = TEMPERATURE_SITES[m.temperatureType];
    notes.push(site ? `Site: ${site}` : 'Site: not stated');
  }
  const result: MeasuredValues = { values: [temp.value], notes };
  const at = m.timestamp ? dateTimeToDate(m.timestamp) : undefined;
  if (at) result.measuredAt = at;
  return parsed(result);
}
