/**
 * Simulated Bluetooth health devices, one per supported profile, with Device Information and Battery.
 * Each sends real specification payloads (encoders.ts) for the scenarios the app must survive:
 * normal, garbage, truncated, out-of-range, sensor off; low battery and disconnect/reconnect are driven
 * through the peripheral (setBattery, dropLink/comeBack).
 */
import {
  encodeBloodPressure,
  encodeGlucose,
  encodeHeartRate,
  encodeIntermediateCuffPressure,
  encodePlxContinuous,
  encodePlxSpotCheck,
  encodeRacpResponseCode,
  encodeTemperature,
  encodeUtf8,
  encodeWeight,
  encodeCurrentTime,
  decodeCurrentTime,
  simDateTime,
  float32,
  RACP,
  sfloat,
  SFLOAT_SPECIALS,
  type GlucoseFrame,
  type SimDateTime,
} from './encoders';
import { SimulatedPeripheral, type SimCharacteristic, type SimService } from './simulated-adapter';

export type SimProfile =
  'heart-rate' | 'blood-pressure' | 'thermometer' | 'weight-scale' | 'pulse-oximeter' | 'glucose';
export type SimScenario = 'normal' | 'garbage' | 'truncated' | 'out-of-range' | 'sensor-off';

export const SIM_PROFILES: readonly SimProfile[] = [
  'heart-rate',
  'blood-pressure',
  'thermometer',
  'weight-scale',
  'pulse-oximeter',
  'glucose',
];

const SIM_TIME: SimDateTime = { year: 2025, month: 6, day: 2, hours: 10, minutes: 15, seconds: 0 };

interface ProfileSpec {
  service: string;
  /** The characteristic scenario frames are sent on. */
  measurement: string;
  extra: SimCharacteristic[];
  frames: Record<SimScenario, Uint8Array>;
  name: string;
  model: string;
}

/** A frame whose Date Time has month 99 and hour 77: bytes that cannot be this protocol. */
function withBadTime(frame: Uint8Array, timeOffset: number): Uint8Array {
  const copy = Uint8Array.from(frame);
  copy[timeOffset + 2] = 99;
  copy[timeOffset + 4] = 77;
  return copy;
}

const cut = (frame: Uint8Array) => frame.subarray(0, frame.length - 1);

function glucoseRecord(
  sequenceNumber: number,
  mgPerDl: number,
  extra: Partial<GlucoseFrame> = {},
): Uint8Array {
  // mg/dL → kg/L is ÷100 000: mantissa mg/dL, exponent −5.
  return encodeGlucose({
    sequenceNumber,
    baseTime: SIM_TIME,
    timeOffset: sequenceNumber,
    concentration: { value: sfloat(mgPerDl, -5), type: 1, location: 1 },
    ...extra,
  });
}

const hrNormal = encodeHeartRate({ heartRate: 72, contact: 'detected', rr: [853, 840] });
const bpNormal = encodeBloodPressure({
  systolic: sfloat(122),
  diastolic: sfloat(78),
  meanArterialPressure: sfloat(93),
  timestamp: SIM_TIME,
  pulseRate: sfloat(64),
  status: 0,
});
const tempNormal = encodeTemperature({
  fahrenheit: true,
  temperature: float32(989, -1),
  timestamp: SIM_TIME,
  type: 6,
});
// 154.3 lb and 69 in: on the grid of the resolution the scale declares (0.1 lb, 1 in; see its Feature).
const weightNormal = encodeWeight({
  imperial: true,
  weight: 15430,
  timestamp: SIM_TIME,
  bmiHeight: { bmi: 229, height: 690 },
});
const plxNormal = encodePlxSpotCheck({
  spo2: sfloat(97),
  pulseRate: sfloat(71),
  timestamp: SIM_TIME,
  measurementStatus: 0,
  deviceAndSensorStatus: 0,
});
const glucoseNormal = glucoseRecord(1, 95);

export const PROFILE_SPECS: Record<SimProfile, ProfileSpec> = {
  'heart-rate': {
    service: '180d',
    measurement: '2a37',
    extra: [],
    name: 'Sim HR Strap',
    model: 'HRS-1',
    frames: {
      normal: hrNormal,
      garbage: Uint8Array.of(0x11, 0x48, 0x00, 0x03), // RR interval cut in half
      truncated: Uint8Array.of(0x01, 0x48), // uint16 heart rate with one byte
      'out-of-range': encodeHeartRate({ heartRate: 310, wide: true, contact: 'detected' }),
      'sensor-off': encodeHeartRate({ heartRate: 0, contact: 'not-detected' }),
    },
  },
  'blood-pressure': {
    service: '1810',
    measurement: '2a35',
    extra: [
      { uuid: '2a36', properties: ['notify'] },
      // Blood Pressure Feature: body movement, cuff fit and irregular pulse detection (bits 0–2).
      { uuid: '2a49', properties: ['read'], value: Uint8Array.of(0x07, 0x00) },
    ],
    name: 'Sim BP Cuff',
    model: 'BPM-2',
    frames: {
      normal: bpNormal,
      garbage: withBadTime(bpNormal, 7),
      truncated: cut(bpNormal),
      'out-of-range': encodeBloodPressure({
        systolic: sfloat(320),
        diastolic: sfloat(80),
        meanArterialPressure: SFLOAT_SPECIALS.NaN,
      }),
      'sensor-off': encodeBloodPressure({
        systolic: SFLOAT_SPECIALS.NaN,
        diastolic: SFLOAT_SPECIALS.NaN,
        meanArterialPressure: SFLOAT_SPECIALS.NaN,
      }),
    },
  },
  thermometer: {
    service: '1809',
    measurement: '2a1c',
    extra: [],
    name: 'Sim Thermometer',
    model: 'THM-3',
    frames: {
      normal: tempNormal,
      garbage: withBadTime(tempNormal, 5),
      truncated: cut(tempNormal),
      'out-of-range': encodeTemperature({ temperature: float32(461, -1) }),
      'sensor-off': encodeTemperature({ temperature: 0x007fffff }),
    },
  },
  'weight-scale': {
    service: '181d',
    measurement: '2a9d',
    // Weight Scale Feature: time stamp, multiple users, BMI; weight to 0.05 kg (code 4), height to 0.01 m (code 1).
    extra: [
      { uuid: '2a9e', properties: ['read'], value: Uint8Array.of(0x07 | (4 << 3) | 0x80, 0x00, 0x00, 0x00) },
    ],
    name: 'Sim Scale',
    model: 'WS-4',
    frames: {
      normal: weightNormal,
      garbage: withBadTime(weightNormal, 3),
      truncated: cut(weightNormal),
      'out-of-range': encodeWeight({ weight: 40 }), // 0.2 kg
      'sensor-off': encodeWeight({ weight: 0xffff }), // "measurement unsuccessful"
    },
  },
  'pulse-oximeter': {
    service: '1822',
    measurement: '2a5e',
    extra: [
      { uuid: '2a5f', properties: ['notify'] },
      // PLX Features: measurement status, device and sensor status, spot-check storage and time stamp,
      // pulse amplitude index; then which status bits it sets: measurement ongoing, early estimate, fully
      // qualified (bits 5, 6, 8) and questionable pulse, sensor unconnected (bits 8, 11 of the 24-bit field).
      {
        uuid: '2a60',
        properties: ['read'],
        value: Uint8Array.of(0x4f, 0x00, 0x60, 0x01, 0x00, 0x09, 0x00),
      },
    ],
    name: 'Sim Oximeter',
    model: 'PLX-5',
    frames: {
      normal: plxNormal,
      garbage: withBadTime(plxNormal, 5),
      truncated: cut(plxNormal),
      'out-of-range': encodePlxSpotCheck({ spo2: sfloat(45), pulseRate: sfloat(70) }),
      'sensor-off': encodePlxContinuous({
        spo2: SFLOAT_SPECIALS.NaN,
        pulseRate: SFLOAT_SPECIALS.NaN,
        deviceAndSensorStatus: 1 << 11,
      }),
    },
  },
  glucose: {
    service: '1808',
    measurement: '2a18',
    extra: [{ uuid: '2a34', properties: ['notify'] }],
    name: 'Sim Glucose Meter',
    model: 'GLM-6',
    frames: {
      normal: glucoseNormal,
      garbage: withBadTime(glucoseNormal, 3),
      truncated: cut(glucoseNormal),
      'out-of-range': glucoseRecord(2, 1200),
      'sensor-off': glucoseRecord(3, 95, { sensorStatus: 1 << 3 }), // strip insertion error
    },
  },
};

/** A cuff inflating past the systolic, then deflating through the diastolic, in mmHg. */
export const CUFF_CYCLE: readonly number[] = [30, 90, 150, 175, 160, 140, 120, 100, 80, 65];

/** The canonical values the app must produce from each profile's normal frame. */
export const NORMAL_EXPECTED: Record<SimProfile, Record<string, number>> = {
  'heart-rate': { heartRate: 72 },
  'blood-pressure': { systolic: 122, diastolic: 78, meanArterialPressure: 93, heartRate: 64 },
  thermometer: { bodyTemperature: ((98.9 - 32) * 5) / 9 },
  // Kept to the scale's declared resolution: 154.3 lb = 69.989… kg to hundredths (0.05 kg), 69 in = 175.26
  // cm to whole centimetres (0.01 m).
  'weight-scale': { bodyWeight: 69.99, bodyHeight: 175, bmi: 22.9 },
  'pulse-oximeter': { spo2: 97, heartRate: 71 },
  glucose: { glucose: 95 },
};

export interface SimulatedHealthDevice {
  profile: SimProfile;
  peripheral: SimulatedPeripheral;
  /** Sends a scenario's frame on the measurement characteristic (or, for sensor-off on the oximeter, the continuous one). */
  send(scenario: SimScenario): boolean;
  /** Sends arbitrary bytes on the measurement characteristic. */
  sendRaw(bytes: Uint8Array, characteristic?: string): boolean;
  /** Blood pressure only: the cuff pressure while measuring, on Intermediate Cuff Pressure (0x2A36). */
  sendCuffPressure(mmHg: number): boolean;
  setBattery(percent: number): void;
  /** Glucose only: records kept in the meter's memory, served through the RACP. */
  records: Uint8Array[];
  /** The device's own clock now (the workstation's clock plus the device's offset). */
  deviceNow(): Date;
  /** How far the device's clock is from the workstation's (ms); 0 once the app set it. */
  readonly clockOffsetMs: number;
  /**
   * Blood pressure: a measurement made now, stamped by the device's clock, optionally for a user of a
   * shared cuff (User ID, flags bit 3; 0xFF the unknown user).
   */
  measureBloodPressure(m: { systolic: number; diastolic: number; pulse?: number; userId?: number }): boolean;
  /** Weight scale: a weighing made now in kg, stamped by the device's clock, optionally for a user. */
  measureWeight(m: { kg: number; userId?: number }): boolean;
}

export interface SimDeviceOptions {
  address?: string;
  battery?: number;
  manufacturer?: string;
  /** Device Information model number (default: the profile's simulated model). */
  model?: string;
  serial?: string;
  firmware?: string;
  /** Glucose: the records in memory (default: the normal record and two more). */
  records?: Uint8Array[];
  /** Glucose: the Measurement Context sent right after the record with this sequence number. */
  contexts?: ReadonlyMap<number, Uint8Array>;
  /**
   * The device's clock, this far from the workstation's (ms, negative: behind). With it the device
   * offers Current Time (0x1805/0x2A2B), readable and, unless `clockWritable` is false, writable.
   */
  clockOffsetMs?: number;
  clockWritable?: boolean;
  /** Measurements kept in the device, sent on the measurement characteristic as soon as it is subscribed. */
  backlog?: Uint8Array[];
}

let nextAddress = 1;

export function createSimulatedDevice(
  profile: SimProfile,
  options: SimDeviceOptions = {},
): SimulatedHealthDevice {
  const spec = PROFILE_SPECS[profile];
  const address = options.address ?? `c0:ff:ee:00:00:${(nextAddress++).toString(16).padStart(2, '0')}`;
  const records =
    options.records ??
    (profile === 'glucose' ? [glucoseNormal, glucoseRecord(2, 110), glucoseRecord(3, 132)] : []);

  const measurementProps = profile === 'heart-rate' || profile === 'glucose' ? ['notify'] : ['indicate'];
  const main: SimService = {
    uuid: spec.service,
    characteristics: [
      { uuid: spec.measurement, properties: measurementProps },
      ...spec.extra.map((c) => ({ ...c })),
    ],
  };
  const services: SimService[] = [
    main,
    {
      uuid: '180a',
      characteristics: [
        {
          uuid: '2a29',
          properties: ['read'],
          value: encodeUtf8(options.manufacturer ?? 'Simulated Medical'),
        },
        { uuid: '2a24', properties: ['read'], value: encodeUtf8(options.model ?? spec.model) },
        { uuid: '2a25', properties: ['read'], value: encodeUtf8(options.serial ?? `SN-${profile}-0001`) },
        { uuid: '2a26', properties: ['read'], value: encodeUtf8(options.firmware ?? '1.4.2') },
      ],
    },
    {
      uuid: '180f',
      characteristics: [
        { uuid: '2a19', properties: ['read', 'notify'], value: Uint8Array.of(options.battery ?? 87) },
      ],
    },
  ];
  let clockOffsetMs = options.clockOffsetMs ?? 0;
  const deviceNow = () => new Date(Date.now() + clockOffsetMs);
  if (options.clockOffsetMs !== undefined) {
    services.push({
      uuid: '1805',
      characteristics: [
        {
          uuid: '2a2b',
          properties: options.clockWritable === false ? ['read', 'notify'] : ['read', 'write', 'notify'],
          onRead: () => encodeCurrentTime(deviceNow()),
          onWrite: (data) => {
            // The device's clock is now what was written (to the second).
            clockOffsetMs = decodeCurrentTime(data).getTime() - Math.floor(Date.now() / 1000) * 1000;
          },
        },
      ],
    });
  }
  if (options.backlog?.length) {
    const backlog = options.backlog;
    main.characteristics[0]!.onSubscribe = (p) => {
      for (const frame of backlog) p.notify(spec.service, spec.measurement, frame);
    };
  }
  const peripheral = new SimulatedPeripheral({ address, name: spec.name, services });

  if (profile === 'glucose') {
    // Record Access Control Point (Glucose Profile 1.0.1 §4.11): report stored records → each record
    // as a Glucose Measurement notification, then the response code.
    main.characteristics.push({
      uuid: '2a52',
      properties: ['write', 'indicate'],
      onWrite: (data, p) => {
        const [opcode, operator] = data;
        if (opcode !== RACP.reportStoredRecords) {
          p.notify('1808', '2a52', encodeRacpResponseCode(opcode ?? 0, RACP.opcodeNotSupported));
          return;
        }
        let selected: Uint8Array[];
        if (operator === RACP.operatorAll) selected = records;
        else if (operator === RACP.operatorGreaterOrEqual && data[2] === 0x01 && data.length >= 5) {
          const from = data[3]! | (data[4]! << 8);
          selected = records.filter((r) => (r[1]! | (r[2]! << 8)) >= from);
        } else {
          p.notify('1808', '2a52', encodeRacpResponseCode(opcode, RACP.operatorNotSupported));
          return;
        }
        for (const r of selected) {
          p.notify('1808', '2a18', r);
          const context = options.contexts?.get(r[1]! | (r[2]! << 8));
          if (context) p.notify('1808', '2a34', context);
        }
        p.notify(
          '1808',
          '2a52',
          encodeRacpResponseCode(opcode, selected.length > 0 ? RACP.success : RACP.noRecordsFound),
        );
      },
    });
  }

  return {
    profile,
    peripheral,
    records,
    send(scenario) {
      const frame = spec.frames[scenario];
      const characteristic =
        profile === 'pulse-oximeter' && scenario === 'sensor-off' ? '2a5f' : spec.measurement;
      return peripheral.notify(spec.service, characteristic, frame);
    },
    sendRaw(bytes, characteristic = spec.measurement) {
      return peripheral.notify(spec.service, characteristic, bytes);
    },
    sendCuffPressure(mmHg) {
      return (
        profile === 'blood-pressure' &&
        peripheral.notify('1810', '2a36', encodeIntermediateCuffPressure(mmHg))
      );
    },
    deviceNow,
    get clockOffsetMs() {
      return clockOffsetMs;
    },
    measureBloodPressure(m) {
      return (
        profile === 'blood-pressure' &&
        peripheral.notify(
          '1810',
          '2a35',
          encodeBloodPressure({
            systolic: sfloat(m.systolic),
            diastolic: sfloat(m.diastolic),
            meanArterialPressure: SFLOAT_SPECIALS.NaN,
            timestamp: simDateTime(deviceNow()),
            ...(m.pulse !== undefined ? { pulseRate: sfloat(m.pulse) } : {}),
            ...(m.userId !== undefined ? { userId: m.userId } : {}),
          }),
        )
      );
    },
    measureWeight(m) {
      return (
        profile === 'weight-scale' &&
        peripheral.notify(
          '181d',
          '2a9d',
          encodeWeight({
            weight: Math.round(m.kg / 0.005),
            timestamp: simDateTime(deviceNow()),
            ...(m.userId !== undefined ? { userId: m.userId } : {}),
          }),
        )
      );
    },
    setBattery(percent) {
      peripheral.setValue('180f', '2a19', Uint8Array.of(percent));
      peripheral.notify('180f', '2a19', Uint8Array.of(percent));
    },
  };
}
