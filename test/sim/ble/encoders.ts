/**
 * Encoders for the Bluetooth SIG health profiles: they build the bytes a real peripheral sends, from
 * the specification's field layouts (GATT Specification Supplement sections cited per function).
 * Written independently of the parsers in main/devices/ble/profiles so the tests are not circular:
 * nothing here imports from main/.
 */

/** Little-endian byte builder. */
export class ByteWriter {
  private readonly bytes: number[] = [];
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u24(v: number): this {
    return this.u16(v).u8(v >>> 16);
  }
  u32(v: number): this {
    return this.u16(v).u16(v >>> 16);
  }
  raw(bytes: Iterable<number>): this {
    for (const b of bytes) this.u8(b);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** IEEE 11073-20601 SFLOAT from exponent (−8…7) and mantissa (−2048…2047). */
export function sfloat(mantissa: number, exponent = 0): number {
  if (exponent < -8 || exponent > 7 || mantissa < -2048 || mantissa > 2047) {
    throw new RangeError('SFLOAT out of range');
  }
  return ((exponent & 0x0f) << 12) | (mantissa & 0x0fff);
}

/** IEEE 11073-20601 FLOAT from exponent (−128…127) and mantissa (−2^23…2^23−1). */
export function float32(mantissa: number, exponent = 0): number {
  return (((exponent & 0xff) << 24) | (mantissa & 0x00ffffff)) >>> 0;
}

/** Reserved SFLOAT/FLOAT bit patterns (IEEE 11073-20601 Annex F.8: exponent 0, these mantissas). */
export const SFLOAT_SPECIALS = {
  NaN: 0x07ff,
  NRes: 0x0800,
  '+INF': 0x07fe,
  '-INF': 0x0802,
  reserved: 0x0801,
} as const;
export const FLOAT_SPECIALS = {
  NaN: 0x007fffff,
  NRes: 0x00800000,
  '+INF': 0x007ffffe,
  '-INF': 0x00800002,
  reserved: 0x00800001,
} as const;

export interface SimDateTime {
  year: number;
  month: number;
  day: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** Date Time (GATT Specification Supplement §3.70). */
export function writeDateTime(w: ByteWriter, t: SimDateTime): ByteWriter {
  return w.u16(t.year).u8(t.month).u8(t.day).u8(t.hours).u8(t.minutes).u8(t.seconds);
}

// --- Heart Rate Measurement 0x2A37 (§3.113) ---
export interface HeartRateFrame {
  heartRate: number;
  wide?: boolean;
  contact?: 'unsupported' | 'detected' | 'not-detected';
  energyExpended?: number;
  /** Raw RR intervals in 1/1024 s. */
  rr?: number[];
  reservedBits?: number;
}

export function encodeHeartRate(f: HeartRateFrame): Uint8Array {
  const contactBits = f.contact === 'detected' ? 0b110 : f.contact === 'not-detected' ? 0b100 : 0;
  const flags =
    (f.wide ? 1 : 0) |
    contactBits |
    (f.energyExpended !== undefined ? 1 << 3 : 0) |
    (f.rr !== undefined ? 1 << 4 : 0) |
    ((f.reservedBits ?? 0) & 0xe0);
  const w = new ByteWriter().u8(flags);
  if (f.wide) w.u16(f.heartRate);
  else w.u8(f.heartRate);
  if (f.energyExpended !== undefined) w.u16(f.energyExpended);
  for (const rr of f.rr ?? []) w.u16(rr);
  return w.done();
}

// --- Blood Pressure Measurement 0x2A35 / Intermediate Cuff Pressure 0x2A36 (§3.31) ---
export interface BloodPressureFrame {
  kpa?: boolean;
  /** Raw SFLOATs. */
  systolic: number;
  diastolic: number;
  meanArterialPressure: number;
  timestamp?: SimDateTime;
  pulseRate?: number;
  userId?: number;
  status?: number;
  reservedBits?: number;
}

export function encodeBloodPressure(f: BloodPressureFrame): Uint8Array {
  const flags =
    (f.kpa ? 1 : 0) |
    (f.timestamp ? 2 : 0) |
    (f.pulseRate !== undefined ? 4 : 0) |
    (f.userId !== undefined ? 8 : 0) |
    (f.status !== undefined ? 16 : 0) |
    ((f.reservedBits ?? 0) & 0xe0);
  const w = new ByteWriter().u8(flags).u16(f.systolic).u16(f.diastolic).u16(f.meanArterialPressure);
  if (f.timestamp) writeDateTime(w, f.timestamp);
  if (f.pulseRate !== undefined) w.u16(f.pulseRate);
  if (f.userId !== undefined) w.u8(f.userId);
  if (f.status !== undefined) w.u16(f.status);
  return w.done();
}

/** Intermediate Cuff Pressure 0x2A36: the current pressure in the systolic field, the others NaN (§3.31). */
export function encodeIntermediateCuffPressure(mmHg: number): Uint8Array {
  return encodeBloodPressure({
    systolic: sfloat(mmHg),
    diastolic: SFLOAT_SPECIALS.NaN,
    meanArterialPressure: SFLOAT_SPECIALS.NaN,
  });
}

// --- Temperature Measurement 0x2A1C (§3.216) ---
export interface TemperatureFrame {
  fahrenheit?: boolean;
  /** Raw FLOAT. */
  temperature: number;
  timestamp?: SimDateTime;
  type?: number;
  reservedBits?: number;
}

export function encodeTemperature(f: TemperatureFrame): Uint8Array {
  const flags =
    (f.fahrenheit ? 1 : 0) |
    (f.timestamp ? 2 : 0) |
    (f.type !== undefined ? 4 : 0) |
    ((f.reservedBits ?? 0) & 0xf8);
  const w = new ByteWriter().u8(flags).u32(f.temperature);
  if (f.timestamp) writeDateTime(w, f.timestamp);
  if (f.type !== undefined) w.u8(f.type);
  return w.done();
}

// --- Weight Measurement 0x2A9D (§3.251) ---
export interface WeightFrame {
  imperial?: boolean;
  /** Raw uint16 (SI 0.005 kg, imperial 0.01 lb). */
  weight: number;
  timestamp?: SimDateTime;
  userId?: number;
  /** Raw uint16 BMI (0.1) and height (SI 0.001 m, imperial 0.1 in). */
  bmiHeight?: { bmi: number; height: number };
  reservedBits?: number;
}

export function encodeWeight(f: WeightFrame): Uint8Array {
  const flags =
    (f.imperial ? 1 : 0) |
    (f.timestamp ? 2 : 0) |
    (f.userId !== undefined ? 4 : 0) |
    (f.bmiHeight ? 8 : 0) |
    ((f.reservedBits ?? 0) & 0xf0);
  const w = new ByteWriter().u8(flags).u16(f.weight);
  if (f.timestamp) writeDateTime(w, f.timestamp);
  if (f.userId !== undefined) w.u8(f.userId);
  if (f.bmiHeight) w.u16(f.bmiHeight.bmi).u16(f.bmiHeight.height);
  return w.done();
}

// --- PLX Spot-check 0x2A5E (§3.172) and Continuous 0x2A5F (§3.173) ---
export interface PlxSpotCheckFrame {
  spo2: number;
  pulseRate: number;
  timestamp?: SimDateTime;
  measurementStatus?: number;
  deviceAndSensorStatus?: number;
  pulseAmplitudeIndex?: number;
  clockNotSet?: boolean;
  reservedBits?: number;
}

export function encodePlxSpotCheck(f: PlxSpotCheckFrame): Uint8Array {
  const flags =
    (f.timestamp ? 1 : 0) |
    (f.measurementStatus !== undefined ? 2 : 0) |
    (f.deviceAndSensorStatus !== undefined ? 4 : 0) |
    (f.pulseAmplitudeIndex !== undefined ? 8 : 0) |
    (f.clockNotSet ? 16 : 0) |
    ((f.reservedBits ?? 0) & 0xe0);
  const w = new ByteWriter().u8(flags).u16(f.spo2).u16(f.pulseRate);
  if (f.timestamp) writeDateTime(w, f.timestamp);
  if (f.measurementStatus !== undefined) w.u16(f.measurementStatus);
  if (f.deviceAndSensorStatus !== undefined) w.u24(f.deviceAndSensorStatus);
  if (f.pulseAmplitudeIndex !== undefined) w.u16(f.pulseAmplitudeIndex);
  return w.done();
}

export interface PlxContinuousFrame {
  spo2: number;
  pulseRate: number;
  fast?: { spo2: number; pulseRate: number };
  slow?: { spo2: number; pulseRate: number };
  measurementStatus?: number;
  deviceAndSensorStatus?: number;
  pulseAmplitudeIndex?: number;
  reservedBits?: number;
}

export function encodePlxContinuous(f: PlxContinuousFrame): Uint8Array {
  const flags =
    (f.fast ? 1 : 0) |
    (f.slow ? 2 : 0) |
    (f.measurementStatus !== undefined ? 4 : 0) |
    (f.deviceAndSensorStatus !== undefined ? 8 : 0) |
    (f.pulseAmplitudeIndex !== undefined ? 16 : 0) |
    ((f.reservedBits ?? 0) & 0xe0);
  const w = new ByteWriter().u8(flags).u16(f.spo2).u16(f.pulseRate);
  if (f.fast) w.u16(f.fast.spo2).u16(f.fast.pulseRate);
  if (f.slow) w.u16(f.slow.spo2).u16(f.slow.pulseRate);
  if (f.measurementStatus !== undefined) w.u16(f.measurementStatus);
  if (f.deviceAndSensorStatus !== undefined) w.u24(f.deviceAndSensorStatus);
  if (f.pulseAmplitudeIndex !== undefined) w.u16(f.pulseAmplitudeIndex);
  return w.done();
}

// --- Glucose Measurement 0x2A18 (§3.106) and RACP 0x2A52 (§3.187) ---
export interface GlucoseFrame {
  sequenceNumber: number;
  baseTime: SimDateTime;
  timeOffset?: number;
  concentration?: { value: number; molPerL?: boolean; type: number; location: number };
  sensorStatus?: number;
  contextFollows?: boolean;
  reservedBits?: number;
}

export function encodeGlucose(f: GlucoseFrame): Uint8Array {
  const flags =
    (f.timeOffset !== undefined ? 1 : 0) |
    (f.concentration ? 2 : 0) |
    (f.concentration?.molPerL ? 4 : 0) |
    (f.sensorStatus !== undefined ? 8 : 0) |
    (f.contextFollows ? 16 : 0) |
    ((f.reservedBits ?? 0) & 0xe0);
  const w = new ByteWriter().u8(flags).u16(f.sequenceNumber);
  writeDateTime(w, f.baseTime);
  if (f.timeOffset !== undefined) w.u16(f.timeOffset & 0xffff);
  if (f.concentration)
    w.u16(f.concentration.value).u8((f.concentration.location << 4) | (f.concentration.type & 0x0f));
  if (f.sensorStatus !== undefined) w.u16(f.sensorStatus);
  return w.done();
}

/** Glucose Measurement Context 0x2A34 (§3.105): only the fields the app reads, plus an HbA1c to skip. */
export interface GlucoseContextFrame {
  sequenceNumber: number;
  /** Carbohydrate ID and raw SFLOAT amount, to be skipped over. */
  carbohydrate?: { id: number; kg: number };
  meal?: number;
  tester?: number;
  health?: number;
  hba1c?: number;
  extendedFlags?: number;
}

export function encodeGlucoseContext(f: GlucoseContextFrame): Uint8Array {
  const flags =
    (f.carbohydrate ? 0x01 : 0) |
    (f.meal !== undefined ? 0x02 : 0) |
    (f.tester !== undefined ? 0x04 : 0) |
    (f.hba1c !== undefined ? 0x40 : 0) |
    (f.extendedFlags !== undefined ? 0x80 : 0);
  const w = new ByteWriter().u8(flags).u16(f.sequenceNumber);
  if (f.extendedFlags !== undefined) w.u8(f.extendedFlags);
  if (f.carbohydrate) w.u8(f.carbohydrate.id).u16(f.carbohydrate.kg);
  if (f.meal !== undefined) w.u8(f.meal);
  if (f.tester !== undefined) w.u8(((f.health ?? 15) << 4) | (f.tester & 0x0f));
  if (f.hba1c !== undefined) w.u16(f.hba1c);
  return w.done();
}

export const RACP = {
  reportStoredRecords: 0x01,
  reportNumberOfRecords: 0x04,
  numberOfRecordsResponse: 0x05,
  responseCode: 0x06,
  abort: 0x03,
  operatorAll: 0x01,
  operatorGreaterOrEqual: 0x03,
  success: 0x01,
  opcodeNotSupported: 0x02,
  invalidOperator: 0x03,
  operatorNotSupported: 0x04,
  noRecordsFound: 0x06,
} as const;

export function encodeRacpResponseCode(requestOpcode: number, code: number): Uint8Array {
  return Uint8Array.of(RACP.responseCode, 0x00, requestOpcode, code);
}

export function encodeRacpNumberOfRecords(count: number): Uint8Array {
  return new ByteWriter().u8(RACP.numberOfRecordsResponse).u8(0).u16(count).done();
}

/** Device Information strings (DIS 1.1): plain UTF-8. */
export function encodeUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A local wall-clock time as a device's Date Time (devices have no time zone). */
export function simDateTime(date: Date): SimDateTime {
  return {
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hours: date.getHours(),
    minutes: date.getMinutes(),
    seconds: date.getSeconds(),
  };
}

// --- Current Time 0x2A2B (Current Time Service 0x1805, CTS 1.1 §3.1): Exact Time 256 + Adjust Reason ---
export function encodeCurrentTime(date: Date, adjustReason = 0): Uint8Array {
  const w = writeDateTime(new ByteWriter(), simDateTime(date));
  const dayOfWeek = date.getDay() === 0 ? 7 : date.getDay();
  return w
    .u8(dayOfWeek)
    .u8(Math.floor((date.getMilliseconds() / 1000) * 256))
    .u8(adjustReason)
    .done();
}

/** The time a Current Time write carries, read back as a local wall-clock time (seconds resolution). */
export function decodeCurrentTime(bytes: Uint8Array): Date {
  const year = bytes[0]! | (bytes[1]! << 8);
  return new Date(year, bytes[2]! - 1, bytes[3]!, bytes[4]!, bytes[5]!, bytes[6]!);
}
