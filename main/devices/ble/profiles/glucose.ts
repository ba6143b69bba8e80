/**
 * Glucose Measurement (0x2A18, notify) and Record Access Control Point (0x2A52, indicate/write) of
 * the Glucose Service 0x1808. A glucose meter keeps records; the collector fetches them through the
 * RACP and they arrive as Glucose Measurement notifications, then an RACP response code.
 *
 * Glucose Measurement: Glucose Service 1.0.1 §3.1 / GATT Specification Supplement §3.106:
 *   flags uint8
 *     bit0  time offset present (sint16, minutes)
 *     bit1  glucose concentration, type and sample location present
 *     bit2  concentration units: 0 = kg/L, 1 = mol/L
 *     bit3  sensor status annunciation present (uint16)
 *     bit4  context information follows (a Glucose Measurement Context will be sent)
 *     bits5–7 reserved (ignored)
 *   sequence number uint16, base time (Date Time, 7 bytes), [time offset sint16],
 *   [concentration SFLOAT, type (low nibble) + sample location (high nibble) uint8], [sensor status uint16]
 * Type (§3.106.2.8): 1 capillary whole blood, 2 capillary plasma, 3 venous whole blood, 4 venous plasma,
 *   5 arterial whole blood, 6 arterial plasma, 7 undetermined whole blood, 8 undetermined plasma,
 *   9 interstitial fluid, 10 control solution. Sample location: 1 finger, 2 alternate site test,
 *   3 earlobe, 4 control solution, 15 not available.
 * Sensor status annunciation (§3.106.2.9): 0 battery low, 1 sensor malfunction, 2 sample size
 *   insufficient, 3 strip insertion error, 4 strip type incorrect, 5 result above device range,
 *   6 result below device range, 7 sensor temperature too high, 8 too low, 9 read interrupted,
 *   10 general device fault, 11 time fault.
 *
 * Glucose Measurement Context (0x2A34, notify): GATT Specification Supplement §3.105; sent right after a
 * measurement whose flag bit4 is set, with the same sequence number:
 *   flags uint8
 *     bit0 carbohydrate ID (uint8) + carbohydrate (SFLOAT, kg) present, bit1 meal (uint8) present,
 *     bit2 tester (low nibble) + health (high nibble) uint8 present, bit3 exercise duration (uint16, s)
 *     + intensity (uint8, %) present, bit4 medication ID (uint8) + medication (SFLOAT) present,
 *     bit5 medication units (0 kg, 1 L), bit6 HbA1c (SFLOAT, %) present, bit7 extended flags present
 *   sequence number uint16, [extended flags uint8], then the fields above in that order.
 *   Meal: 1 preprandial, 2 postprandial, 3 fasting, 4 casual (snacks, drinks), 5 bedtime.
 *   Tester: 1 self, 2 health care professional, 3 lab test, 15 not available.
 *
 * Record Access Control Point: Glucose Profile 1.0.1 §4.11 / GATT Specification Supplement §3.187:
 *   request  opcode uint8, operator uint8, [operand]
 *   opcodes  0x01 report stored records, 0x02 delete, 0x03 abort, 0x04 report number of stored
 *            records, 0x05 number of stored records response (operand uint16), 0x06 response code
 *            (operand: request opcode uint8, response code value uint8)
 *   operators 0x00 null, 0x01 all records, 0x02 ≤, 0x03 ≥, 0x04 within range, 0x05 first, 0x06 last
 *   responses carry operator 0x00 (null); a response code is 4 bytes, a count 4 (uint16) or 6 (uint32)
 *   filter type 0x01 = sequence number (uint16 bounds follow)
 *   response codes 0x01 success, 0x02 opcode not supported, 0x03 invalid operator, 0x04 operator not
 *            supported, 0x05 invalid operand, 0x06 no records found, 0x07 abort unsuccessful,
 *            0x08 procedure not completed, 0x09 operand not supported
 */
import { GLUCOSE_MGDL_PER_MMOLL } from '../../../../shared/clinical/units';
import {
  DATE_TIME_LENGTH,
  dateTimeToDate,
  parseDateTime,
  readInt16,
  readSfloat,
  readUint16,
  type DeviceDateTime,
  type Ieee11073Number,
} from '../../ieee11073';
import { parseFailure, parsed, type ParseResult } from '../../parse-result';
import { numberOf, plausibleValue, tidy, type MeasuredValues } from '../measured';

export const GLUCOSE_SERVICE = '1808';
export const GLUCOSE_MEASUREMENT = '2a18';
export const GLUCOSE_MEASUREMENT_CONTEXT = '2a34';
export const RECORD_ACCESS_CONTROL_POINT = '2a52';

export const GL_FLAG_TIME_OFFSET = 0x01;
export const GL_FLAG_CONCENTRATION = 0x02;
export const GL_FLAG_MOL_PER_L = 0x04;
export const GL_FLAG_SENSOR_STATUS = 0x08;
export const GL_FLAG_CONTEXT_FOLLOWS = 0x10;

export const GLUCOSE_TYPES: Readonly<Record<number, string>> = {
  1: 'capillary whole blood',
  2: 'capillary plasma',
  3: 'venous whole blood',
  4: 'venous plasma',
  5: 'arterial whole blood',
  6: 'arterial plasma',
  7: 'undetermined whole blood',
  8: 'undetermined plasma',
  9: 'interstitial fluid',
  10: 'control solution',
};

export const GLUCOSE_SAMPLE_LOCATIONS: Readonly<Record<number, string>> = {
  1: 'finger',
  2: 'alternate site',
  3: 'earlobe',
  4: 'control solution',
  15: 'not available',
};

export const GLUCOSE_TYPE_CONTROL_SOLUTION = 10;
export const GLUCOSE_LOCATION_CONTROL_SOLUTION = 4;

export const GL_STATUS_BATTERY_LOW = 1 << 0;
export const GL_STATUS_SENSOR_MALFUNCTION = 1 << 1;
export const GL_STATUS_SAMPLE_INSUFFICIENT = 1 << 2;
export const GL_STATUS_STRIP_INSERTION = 1 << 3;
export const GL_STATUS_STRIP_TYPE = 1 << 4;
export const GL_STATUS_ABOVE_RANGE = 1 << 5;
export const GL_STATUS_BELOW_RANGE = 1 << 6;
export const GL_STATUS_TEMP_HIGH = 1 << 7;
export const GL_STATUS_TEMP_LOW = 1 << 8;
export const GL_STATUS_READ_INTERRUPTED = 1 << 9;
export const GL_STATUS_DEVICE_FAULT = 1 << 10;
export const GL_STATUS_TIME_FAULT = 1 << 11;

export interface GlucoseMeasurement {
  sequenceNumber: number;
  baseTime: DeviceDateTime;
  /** Minutes to add to the base time. */
  timeOffset?: number;
  concentration?: {
    value: Ieee11073Number;
    unit: 'kg/L' | 'mol/L';
    type: number;
    sampleLocation: number;
  };
  sensorStatus?: number;
  contextFollows: boolean;
}

export function parseGlucoseMeasurement(bytes: Uint8Array): ParseResult<GlucoseMeasurement> {
  if (bytes.length < 1) return parseFailure('TRUNCATED', 'The glucose message is empty.');
  const flags = bytes[0]!;
  const need =
    3 +
    DATE_TIME_LENGTH +
    (flags & GL_FLAG_TIME_OFFSET ? 2 : 0) +
    (flags & GL_FLAG_CONCENTRATION ? 3 : 0) +
    (flags & GL_FLAG_SENSOR_STATUS ? 2 : 0);
  if (bytes.length < need) return parseFailure('TRUNCATED', 'The glucose message is incomplete.');
  const baseTime = parseDateTime(bytes, 3);
  if (!baseTime.ok) return baseTime;
  const value: GlucoseMeasurement = {
    sequenceNumber: readUint16(bytes, 1),
    baseTime: baseTime.value,
    contextFollows: (flags & GL_FLAG_CONTEXT_FOLLOWS) !== 0,
  };
  let offset = 3 + DATE_TIME_LENGTH;
  if (flags & GL_FLAG_TIME_OFFSET) {
    value.timeOffset = readInt16(bytes, offset);
    offset += 2;
  }
  if (flags & GL_FLAG_CONCENTRATION) {
    const typeLocation = bytes[offset + 2]!;
    value.concentration = {
      value: readSfloat(bytes, offset),
      unit: flags & GL_FLAG_MOL_PER_L ? 'mol/L' : 'kg/L',
      type: typeLocation & 0x0f,
      sampleLocation: typeLocation >> 4,
    };
    offset += 3;
  }
  if (flags & GL_FLAG_SENSOR_STATUS) value.sensorStatus = readUint16(bytes, offset);
  return parsed(value);
}

const STATUS_REFUSALS: readonly [number, string][] = [
  [GL_STATUS_SENSOR_MALFUNCTION, 'The glucose meter reports a sensor fault.'],
  [GL_STATUS_SAMPLE_INSUFFICIENT, 'The blood sample was too small; repeat the test.'],
  [GL_STATUS_STRIP_INSERTION, 'The test strip was not inserted correctly; repeat the test.'],
  [GL_STATUS_STRIP_TYPE, 'The test strip is of the wrong type.'],
  [GL_STATUS_ABOVE_RANGE, 'The glucose was above what the meter can measure.'],
  [GL_STATUS_BELOW_RANGE, 'The glucose was below what the meter can measure.'],
  [GL_STATUS_TEMP_HIGH, 'The meter was too warm to measure reliably.'],
  [GL_STATUS_TEMP_LOW, 'The meter was too cold to measure reliably.'],
  [GL_STATUS_READ_INTERRUPTED, 'The strip was pulled out before the meter finished.'],
  [GL_STATUS_DEVICE_FAULT, 'The glucose meter reports a fault.'],
];

/** kg/L → mg/dL is ×100 000 (1 kg/L = 10⁶ mg per 10 dL); mol/L → mg/dL is ×1000 × 18.016 (units.ts). */
export function glucoseToMgPerDl(value: number, unit: 'kg/L' | 'mol/L'): number {
  return tidy(unit === 'kg/L' ? value * 100_000 : value * 1000 * GLUCOSE_MGDL_PER_MMOLL);
}

export function glucoseToValues(m: GlucoseMeasurement): ParseResult<MeasuredValues> {
  if (!m.concentration) return parseFailure('SPECIAL_VALUE', 'This glucose record holds no glucose value.');
  const status = m.sensorStatus ?? 0;
  for (const [bit, message] of STATUS_REFUSALS) if (status & bit) return parseFailure('UNSTABLE', message);
  if (
    m.concentration.type === GLUCOSE_TYPE_CONTROL_SOLUTION ||
    m.concentration.sampleLocation === GLUCOSE_LOCATION_CONTROL_SOLUTION
  ) {
    // A control-solution check of the meter is not the patient's glucose.
    return parseFailure('UNSTABLE', 'This record is a control-solution test of the meter.');
  }
  const raw = numberOf(m.concentration.value);
  if (!raw.ok) return raw;
  const glucose = plausibleValue('glucose', glucoseToMgPerDl(raw.value, m.concentration.unit));
  if (!glucose.ok) return glucose;
  const notes: string[] = [];
  const type = GLUCOSE_TYPES[m.concentration.type];
  if (type) notes.push(`Sample: ${type}`);
  const location = GLUCOSE_SAMPLE_LOCATIONS[m.concentration.sampleLocation];
  if (location && m.concentration.sampleLocation !== 15) notes.push(`Site: ${location}`);
  if (status & GL_STATUS_BATTERY_LOW) notes.push('Meter battery low');
  const result: MeasuredValues = { values: [glucose.value], notes };
  if (!(status & GL_STATUS_TIME_FAULT)) {
    const at = dateTimeToDate(m.baseTime, m.timeOffset ?? 0);
    if (at) result.measuredAt = at;
  }
  return parsed(result);
}

// --- Glucose Measurement Context ---

export const GLC_FLAG_CARBOHYDRATE = 0x01;
export const GLC_FLAG_MEAL = 0x02;
export const GLC_FLAG_TESTER_HEALTH = 0x04;
export const GLC_FLAG_EXERCISE = 0x08;
export const GLC_FLAG_MEDICATION = 0x10;
export const GLC_FLAG_MEDICATION_LITRES = 0x20;
export const GLC_FLAG_HBA1C = 0x40;
export const GLC_FLAG_EXTENDED = 0x80;

export type GlucoseMeal = 'preprandial' | 'postprandial' | 'fasting' | 'casual' | 'bedtime';
const MEALS: Readonly<Record<number, GlucoseMeal>> = {
  1: 'preprandial',
  2: 'postprandial',
  3: 'fasting',
  4: 'casual',
  5: 'bedtime',
};
/** How the nurse reads the meal context: it decides which glucose range the value is judged against. */
export const MEAL_WORDS: Readonly<Record<GlucoseMeal, string>> = {
  preprandial: 'Before a meal',
  postprandial: 'After a meal',
  fasting: 'Fasting',
  casual: 'Casual (not timed to a meal)',
  bedtime: 'At bedtime',
};
const TESTERS: Readonly<Record<number, string>> = {
  1: 'the patient',
  2: 'a health professional',
  3: 'a lab test',
};

const CARBOHYDRATES: Readonly<Record<number, string>> = {
  1: 'breakfast',
  2: 'lunch',
  3: 'dinner',
  4: 'snack',
  5: 'drink',
  6: 'supper',
  7: 'brunch',
};
const MEDICATIONS: Readonly<Record<number, string>> = {
  1: 'rapid-acting insulin',
  2: 'short-acting insulin',
  3: 'intermediate-acting insulin',
  4: 'long-acting insulin',
  5: 'pre-mixed insulin',
};
/** Exercise duration 0xFFFF means "overrun": longer than the field can hold (§3.105). */
const EXERCISE_OVERRUN = 0xffff;

export interface GlucoseContext {
  sequenceNumber: number;
  meal?: GlucoseMeal;
  /** Who took the sample, in words. */
  tester?: string;
  /** Carbohydrate taken, in grams (sent in kg); the meal it was, when the id is a known one. */
  carbohydrate?: { grams: number; meal?: string };
  /** Exercise before the test: duration in seconds (undefined = longer than the meter counts), intensity %. */
  exercise?: { seconds?: number; intensityPercent: number };
  /** Medication taken: mg when sent in kg, mL when sent in litres (flag bit5). */
  medication?: { amount: number; unit: 'mg' | 'mL'; name?: string };
  /** HbA1c in percent. */
  hba1c?: number;
}

/** An SFLOAT field's number, or undefined for a special value (that field alone is dropped). */
function finite(bytes: Uint8Array, offset: number): number | undefined {
  const n = numberOf(readSfloat(bytes, offset));
  return n.ok ? n.value : undefined;
}

export function parseGlucoseContext(bytes: Uint8Array): ParseResult<GlucoseContext> {
  if (bytes.length < 1) return parseFailure('TRUNCATED', 'The glucose context message is empty.');
  const flags = bytes[0]!;
  const need =
    3 +
    (flags & GLC_FLAG_EXTENDED ? 1 : 0) +
    (flags & GLC_FLAG_CARBOHYDRATE ? 3 : 0) +
    (flags & GLC_FLAG_MEAL ? 1 : 0) +
    (flags & GLC_FLAG_TESTER_HEALTH ? 1 : 0) +
    (flags & GLC_FLAG_EXERCISE ? 3 : 0) +
    (flags & GLC_FLAG_MEDICATION ? 3 : 0) +
    (flags & GLC_FLAG_HBA1C ? 2 : 0);
  if (bytes.length < need) return parseFailure('TRUNCATED', 'The glucose context message is incomplete.');
  const context: GlucoseContext = { sequenceNumber: readUint16(bytes, 1) };
  let offset = 3 + (flags & GLC_FLAG_EXTENDED ? 1 : 0);
  if (flags & GLC_FLAG_CARBOHYDRATE) {
    const kg = finite(bytes, offset + 1);
    if (kg !== undefined && kg >= 0) {
      context.carbohydrate = { grams: tidy(kg * 1000) };
      const meal = CARBOHYDRATES[bytes[offset]!];
      if (meal) context.carbohydrate.meal = meal;
    }
    offset += 3;
  }
  if (flags & GLC_FLAG_MEAL) {
    // Reserved meal values are ignored, like reserved bits: the reading stands without a meal.
    const meal = MEALS[bytes[offset]!];
    if (meal) context.meal = meal;
    offset += 1;
  }
  if (flags & GLC_FLAG_TESTER_HEALTH) {
    const tester = TESTERS[bytes[offset]! & 0x0f];
    if (tester) context.tester = tester;
    offset += 1;
  }
  if (flags & GLC_FLAG_EXERCISE) {
    const seconds = readUint16(bytes, offset);
    const intensity = bytes[offset + 2]!;
    if (intensity <= 100) {
      context.exercise = { intensityPercent: intensity };
      if (seconds !== EXERCISE_OVERRUN) context.exercise.seconds = seconds;
    }
    offset += 3;
  }
  if (flags & GLC_FLAG_MEDICATION) {
    const amount = finite(bytes, offset + 1);
    if (amount !== undefined && amount >= 0) {
      // kg → mg is ×10⁶, L → mL is ×10³.
      context.medication =
        flags & GLC_FLAG_MEDICATION_LITRES
          ? { amount: tidy(amount * 1000), unit: 'mL' }
          : { amount: tidy(amount * 1_000_000), unit: 'mg' };
      const name = MEDICATIONS[bytes[offset]!];
      if (name) context.medication.name = name;
    }
    offset += 3;
  }
  if (flags & GLC_FLAG_HBA1C) {
    const hba1c = finite(bytes, offset);
    if (hba1c !== undefined && hba1c >= 0 && hba1c <= 100) context.hba1c = hba1c;
  }
  return parsed(context);
}

function minutesOf(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** The context as notes on the reading it belongs to. */
export function glucoseContextNotes(context: GlucoseContext): string[] {
  const notes: string[] = [];
  if (context.meal) notes.push(`Meal: ${MEAL_WORDS[context.meal]}`);
  if (context.tester) notes.push(`Tested by ${context.tester}`);
  if (context.carbohydrate) {
    const { grams, meal } = context.carbohydrate;
    notes.push(`Carbohydrate: ${grams} g${meal ? ` (${meal})` : ''}`);
  }
  if (context.exercise) {
    const { seconds, intensityPercent } = context.exercise;
    const duration = seconds === undefined ? 'longer than the meter counts' : minutesOf(seconds);
    notes.push(`Exercise: ${duration} at ${intensityPercent}% intensity`);
  }
  if (context.medication) {
    const { amount, unit, name } = context.medication;
    notes.push(`Medication: ${name ? `${name} ` : ''}${amount} ${unit}`);
  }
  if (context.hba1c !== undefined) notes.push(`HbA1c: ${context.hba1c}%`);
  return notes;
}

// --- Record Access Control Point ---

export const RACP_REPORT_STORED_RECORDS = 0x01;
export const RACP_DELETE_STORED_RECORDS = 0x02;
export const RACP_ABORT = 0x03;
export const RACP_REPORT_NUMBER_OF_RECORDS = 0x04;
export const RACP_NUMBER_OF_RECORDS_RESPONSE = 0x05;
export const RACP_RESPONSE_CODE = 0x06;

export const RACP_OPERATOR_NULL = 0x00;
export const RACP_OPERATOR_ALL = 0x01;
export const RACP_OPERATOR_GREATER_OR_EQUAL = 0x03;
export const RACP_OPERATOR_LAST = 0x06;

export const RACP_FILTER_SEQUENCE_NUMBER = 0x01;

export type RacpResponseCode =
  | 'success'
  | 'opcode-not-supported'
  | 'invalid-operator'
  | 'operator-not-supported'
  | 'invalid-operand'
  | 'no-records-found'
  | 'abort-unsuccessful'
  | 'procedure-not-completed'
  | 'operand-not-supported'
  | 'reserved';

const RESPONSE_CODES: readonly RacpResponseCode[] = [
  'reserved',
  'success',
  'opcode-not-supported',
  'invalid-operator',
  'operator-not-supported',
  'invalid-operand',
  'no-records-found',
  'abort-unsuccessful',
  'procedure-not-completed',
  'operand-not-supported',
];

export type RacpRequest =
  | { opcode: 'report-records'; filter: 'all' | 'last' }
  | { opcode: 'report-records'; filter: 'from-sequence'; sequenceNumber: number }
  | { opcode: 'report-number-of-records'; filter: 'all' }
  | { opcode: 'report-number-of-records'; filter: 'from-sequence'; sequenceNumber: number }
  /** Erases the meter's memory: only ever sent on the nurse's explicit action, never by a fetch. */
  | { opcode: 'delete-records'; filter: 'all' }
  | { opcode: 'abort' };

/** Operator ≥ with the sequence-number filter and its uint16 bound (little-endian). */
function fromSequence(opcode: number, sequenceNumber: number): Uint8Array {
  return Uint8Array.of(
    opcode,
    RACP_OPERATOR_GREATER_OR_EQUAL,
    RACP_FILTER_SEQUENCE_NUMBER,
    sequenceNumber & 0xff,
    (sequenceNumber >> 8) & 0xff,
  );
}

/**
 * What to ask a meter for: everything the first time, then only records from the one after the last
 * sequence number already kept for this meter. At 0xFFFF there is no "after", so everything is asked
 * for again (repeats are dropped by the collector).
 */
export function recordsRequestAfter(lastSequence: number | undefined): RacpRequest {
  if (lastSequence === undefined || lastSequence >= 0xffff)
    return { opcode: 'report-records', filter: 'all' };
  return { opcode: 'report-records', filter: 'from-sequence', sequenceNumber: lastSequence + 1 };
}

/** Encodes a request to write to the RACP. */
export function encodeRacpRequest(request: RacpRequest): Uint8Array {
  switch (request.opcode) {
    case 'report-records':
      if (request.filter === 'from-sequence')
        return fromSequence(RACP_REPORT_STORED_RECORDS, request.sequenceNumber);
      return Uint8Array.of(
        RACP_REPORT_STORED_RECORDS,
        request.filter === 'last' ? RACP_OPERATOR_LAST : RACP_OPERATOR_ALL,
      );
    case 'report-number-of-records':
      return request.filter === 'all'
        ? Uint8Array.of(RACP_REPORT_NUMBER_OF_RECORDS, RACP_OPERATOR_ALL)
        : fromSequence(RACP_REPORT_NUMBER_OF_RECORDS, request.sequenceNumber);
    case 'delete-records':
      return Uint8Array.of(RACP_DELETE_STORED_RECORDS, RACP_OPERATOR_ALL);
    case 'abort':
      return Uint8Array.of(RACP_ABORT, RACP_OPERATOR_NULL);
  }
}

export type RacpResponse =
  | { kind: 'response-code'; requestOpcode: number; code: RacpResponseCode }
  | { kind: 'number-of-records'; count: number };

/** A response code is opcode, operator, request opcode, code: exactly 4 bytes. */
const RACP_RESPONSE_CODE_LENGTH = 4;

/**
 * Parses what the meter indicates on the RACP. Every response carries the Null operator; a response
 * naming an operator is refused. A response code is exactly 4 bytes; a count is a uint16 (Glucose
 * Profile) or a uint32 (the later RACP of the GATT Specification Supplement), so 4 or 6 bytes: a
 * 4-byte count is read whole, never as its first two bytes, and any other length is refused.
 */
export function parseRacpResponse(bytes: Uint8Array): ParseResult<RacpResponse> {
  if (bytes.length < 1) return parseFailure('TRUNCATED', 'The glucose meter’s answer is empty.');
  const opcode = bytes[0]!;
  if (opcode !== RACP_RESPONSE_CODE && opcode !== RACP_NUMBER_OF_RECORDS_RESPONSE)
    return parseFailure('BAD_FLAGS', 'The glucose meter answered with an unknown record-access code.');
  if (bytes.length < 4) return parseFailure('TRUNCATED', 'The glucose meter’s answer is incomplete.');
  if (bytes[1] !== RACP_OPERATOR_NULL)
    return parseFailure('BAD_FLAGS', 'The glucose meter’s answer names an operator where none belongs.');
  if (opcode === RACP_RESPONSE_CODE) {
    if (bytes.length !== RACP_RESPONSE_CODE_LENGTH) return wrongLength();
    const code = RESPONSE_CODES[bytes[3]!] ?? 'reserved';
    return parsed({ kind: 'response-code', requestOpcode: bytes[2]!, code });
  }
  if (bytes.length === 4) return parsed({ kind: 'number-of-records', count: readUint16(bytes, 2) });
  if (bytes.length === 6)
    return parsed({
      kind: 'number-of-records',
      count: readUint16(bytes, 2) + readUint16(bytes, 4) * 0x10000,
    });
  return wrongLength();
}

function wrongLength(): ParseResult<never> {
  return parseFailure(
    'GARBAGE',
    'The glucose meter’s answer has the wrong length for a record-access response.',
  );
}
