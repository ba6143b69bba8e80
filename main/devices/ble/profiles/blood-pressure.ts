/**
 * Blood Pressure Measurement (0x2A35, indicate) and Intermediate Cuff Pressure (0x2A36, notify) of
 * the Blood Pressure Service 0x1810.
 * Layout: Blood Pressure Service 1.1 §3.1–3.2 / GATT Specification Supplement §3.31 "Blood Pressure
 * Measurement" (Intermediate Cuff Pressure shares it):
 *   flags uint8
 *     bit0  units: 0 = mmHg, 1 = kPa
 *     bit1  time stamp present (Date Time, 7 bytes)
 *     bit2  pulse rate present (SFLOAT, /min)
 *     bit3  user id present (uint8, 0xFF = unknown user)
 *     bit4  measurement status present (uint16)
 *     bits5–7 reserved (ignored)
 *   systolic SFLOAT, diastolic SFLOAT, mean arterial pressure SFLOAT, [time stamp], [pulse rate],
 *   [user id], [measurement status]
 *   For Intermediate Cuff Pressure the first SFLOAT is the current cuff pressure; the other two are NaN.
 * Measurement status (§3.31.2.6): bit0 body movement, bit1 cuff too loose, bit2 irregular pulse,
 * bits3–4 pulse rate range (0 within, 1 above upper limit, 2 below lower limit), bit5 improper position.
 */
import { toCanonical } from '../../../../shared/clinical/units';
import { VITALS } from '../../../../shared/clinical/vital-signs';
import type { ReadingValue } from '../../../../shared/devices/reading';
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
import type { BloodPressureFeature } from './features';
import { numberOf, plausiblePressures, plausibleValue, tidy, type MeasuredValues } from '../measured';

export const BLOOD_PRESSURE_SERVICE = '1810';
export const BLOOD_PRESSURE_MEASUREMENT = '2a35';
export const INTERMEDIATE_CUFF_PRESSURE = '2a36';

export const BP_FLAG_KPA = 0x01;
export const BP_FLAG_TIMESTAMP = 0x02;
export const BP_FLAG_PULSE_RATE = 0x04;
export const BP_FLAG_USER_ID = 0x08;
export const BP_FLAG_STATUS = 0x10;

export interface BloodPressureStatus {
  bodyMovement: boolean;
  cuffTooLoose: boolean;
  irregularPulse: boolean;
  pulseRateRange: 'within' | 'above' | 'below' | 'reserved';
  improperPosition: boolean;
}

export interface BloodPressureMeasurement {
  unit: 'mmHg' | 'kPa';
  systolic: Ieee11073Number;
  diastolic: Ieee11073Number;
  meanArterialPressure: Ieee11073Number;
  timestamp?: DeviceDateTime;
  pulseRate?: Ieee11073Number;
  userId?: number;
  status?: BloodPressureStatus;
}

const PULSE_RANGES = ['within', 'above', 'below', 'reserved'] as const;

export function decodeBloodPressureStatus(raw: number): BloodPressureStatus {
  return {
    bodyMovement: (raw & 0x01) !== 0,
    cuffTooLoose: (raw & 0x02) !== 0,
    irregularPulse: (raw & 0x04) !== 0,
    pulseRateRange: PULSE_RANGES[(raw >> 3) & 0x03]!,
    improperPosition: (raw & 0x20) !== 0,
  };
}

export function parseBloodPressureMeasurement(bytes: Uint8Array): ParseResult<BloodPressureMeasurement> {
  if (bytes.length < 1) return parseFailure('TRUNCATED', 'The blood-pressure message is empty.');
  const flags = bytes[0]!;
  const need =
    7 +
    (flags & BP_FLAG_TIMESTAMP ? DATE_TIME_LENGTH : 0) +
    (flags & BP_FLAG_PULSE_RATE ? 2 : 0) +
    (flags & BP_FLAG_USER_ID ? 1 : 0) +
    (flags & BP_FLAG_STATUS ? 2 : 0);
  if (bytes.length < need) return parseFailure('TRUNCATED', 'The blood-pressure message is incomplete.');
  const value: BloodPressureMeasurement = {
    unit: flags & BP_FLAG_KPA ? 'kPa' : 'mmHg',
    systolic: readSfloat(bytes, 1),
    diastolic: readSfloat(bytes, 3),
    meanArterialPressure: readSfloat(bytes, 5),
  };
  let offset = 7;
  if (flags & BP_FLAG_TIMESTAMP) {
    const ts = parseDateTime(bytes, offset);
    if (!ts.ok) return ts;
    value.timestamp = ts.value;
    offset += DATE_TIME_LENGTH;
  }
  if (flags & BP_FLAG_PULSE_RATE) {
    value.pulseRate = readSfloat(bytes, offset);
    offset += 2;
  }
  if (flags & BP_FLAG_USER_ID) {
    value.userId = bytes[offset]!;
    offset += 1;
  }
  if (flags & BP_FLAG_STATUS) {
    value.status = decodeBloodPressureStatus(readUint16(bytes, offset));
  }
  return parsed(value);
}

/** Intermediate Cuff Pressure: same layout; only the current cuff pressure is meaningful. */
export const parseIntermediateCuffPressure = parseBloodPressureMeasurement;

/** The most a cuff inflates to (oscillometric cuffs stop near 300 mmHg); above is a fault. */
const MAX_CUFF_PRESSURE_MMHG = 350;

/**
 * The cuff pressure while a measurement runs (in the systolic field), in mmHg: progress to show the
 * nurse that the cuff is working, never a reading to record.
 */
export function cuffPressureToMmHg(m: BloodPressureMeasurement): ParseResult<number> {
  const raw = numberOf(m.systolic);
  if (!raw.ok) return raw;
  const mmHg = toMmHg(raw.value, m.unit);
  if (mmHg < 0 || mmHg > MAX_CUFF_PRESSURE_MMHG)
    return parseFailure('OUT_OF_RANGE', 'The cuff pressure is outside what a cuff can reach.');
  return parsed(Math.round(mmHg));
}

function toMmHg(value: number, unit: 'mmHg' | 'kPa'): number {
  return unit === 'kPa' ? tidy(toCanonical('systolic', value, 'kPa')) : value;
}

/**
 * The status words of a measurement. With the cuff's Blood Pressure Feature known, a flag counts only
 * when the cuff says it detects that condition: a cuff without the detection "shall not set" the flag
 * (GATT Specification Supplement, Blood Pressure Feature), so a set flag there is noise, not a finding.
 * Without the Feature (not offered, unreadable) every flag counts, as before.
 */
function statusNotes(status: BloodPressureStatus, feature: BloodPressureFeature | undefined): string[] {
  const detects = (k: keyof BloodPressureFeature) => feature === undefined || feature[k];
  const notes: string[] = [];
  if (status.bodyMovement && detects('bodyMovementDetection')) notes.push('Body movement during measurement');
  if (status.cuffTooLoose && detects('cuffFitDetection')) notes.push('Cuff fit too loose');
  if (status.irregularPulse && detects('irregularPulseDetection')) notes.push('Irregular pulse detected');
  if (detects('pulseRateRangeDetection')) {
    if (status.pulseRateRange === 'above') notes.push('Pulse rate above the cuff’s upper limit');
    if (status.pulseRateRange === 'below') notes.push('Pulse rate below the cuff’s lower limit');
  }
  if (status.improperPosition && detects('measurementPositionDetection'))
    notes.push('Improper measurement position');
  return notes;
}

/** A User ID (not the unknown user 0xFF) from a cuff that declares no support for several users. */
export const USER_ID_WITHOUT_SUPPORT_NOTE =
  'The cuff sent a user number although it says it supports only one user (a device fault); check whose measurement this is';

export function bloodPressureToValues(
  m: BloodPressureMeasurement,
  feature?: BloodPressureFeature,
): ParseResult<MeasuredValues> {
  const sysRaw = numberOf(m.systolic);
  if (!sysRaw.ok) return sysRaw;
  const diaRaw = numberOf(m.diastolic);
  if (!diaRaw.ok) return diaRaw;
  const systolic = toMmHg(sysRaw.value, m.unit);
  const diastolic = toMmHg(diaRaw.value, m.unit);
  const pair = plausiblePressures(systolic, diastolic);
  if (!pair.ok) return pair;
  const unit = VITALS.systolic.unit;
  const values: ReadingValue[] = [
    { kind: 'systolic', value: systolic, unit },
    { kind: 'diastolic', value: diastolic, unit },
  ];
  const notes: string[] = [];
  // Many cuffs do not compute MAP and send NaN (or another special, or 0): only the MAP is dropped;
  // the systolic, diastolic and pulse the cuff measured stand without it.
  if (m.meanArterialPressure.kind === 'number') {
    const map = plausibleValue('meanArterialPressure', toMmHg(m.meanArterialPressure.value, m.unit));
    if (map.ok) values.push(map.value);
    else notes.push('The cuff’s mean arterial pressure was not usable and is left out');
  }
  if (m.pulseRate) {
    const pulse = numberOf(m.pulseRate);
    if (pulse.ok) {
      const hr = plausibleValue('heartRate', pulse.value);
      if (!hr.ok) return hr;
      values.push(hr.value);
    }
  }
  if (m.status) notes.push(...statusNotes(m.status, feature));
  if (feature && !feature.multipleBonds && m.userId !== undefined && m.userId !== 0xff)
    notes.push(USER_ID_WITHOUT_SUPPORT_NOTE);
  const result: MeasuredValues = { values, notes };
  const at = m.timestamp ? dateTimeToDate(m.timestamp) : undefined;
  if (at) result.measuredAt = at;
  if (m.userId !== undefined) result.userId = m.userId;
  return parsed(result);
}
