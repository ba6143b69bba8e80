/**
 * The BLE drivers: one per health profile. A driver names the service to find, the measurement
 * characteristics to subscribe to, and the pure functions that turn each value into canonical readings.
 * Adding a profile means adding one file under profiles/ and one entry here.
 */
import { parsed, type ParseResult } from '../parse-result';
import type { MeasuredValues } from './measured';
import { applyBloodPressureQuirks, type ModelQuirks } from './quirks';
import type { DeviceFeatures } from './profiles/features';
import {
  BLOOD_PRESSURE_MEASUREMENT,
  BLOOD_PRESSURE_SERVICE,
  bloodPressureToValues,
  cuffPressureToMmHg,
  INTERMEDIATE_CUFF_PRESSURE,
  parseBloodPressureMeasurement,
  parseIntermediateCuffPressure,
} from './profiles/blood-pressure';
import {
  GLUCOSE_MEASUREMENT,
  GLUCOSE_MEASUREMENT_CONTEXT,
  GLUCOSE_SERVICE,
  glucoseContextNotes,
  glucoseToValues,
  parseGlucoseContext,
  parseGlucoseMeasurement,
  RECORD_ACCESS_CONTROL_POINT,
} from './profiles/glucose';
import {
  HEALTH_THERMOMETER_SERVICE,
  parseTemperatureMeasurement,
  TEMPERATURE_MEASUREMENT,
  temperatureToValues,
} from './profiles/health-thermometer';
import {
  HEART_RATE_MEASUREMENT,
  HEART_RATE_SERVICE,
  heartRateToValues,
  parseHeartRateMeasurement,
} from './profiles/heart-rate';
import {
  parsePlxContinuousMeasurement,
  parsePlxSpotCheckMeasurement,
  PLX_CONTINUOUS_MEASUREMENT,
  PLX_SPOT_CHECK_MEASUREMENT,
  PULSE_OXIMETER_SERVICE,
  pulseOximetryToValues,
} from './profiles/pulse-oximeter';
import {
  parseWeightMeasurement,
  WEIGHT_MEASUREMENT,
  WEIGHT_SCALE_SERVICE,
  weightToValues,
} from './profiles/weight-scale';

export type BleDriverId =
  | 'ble.heart-rate'
  | 'ble.blood-pressure'
  | 'ble.thermometer'
  | 'ble.weight-scale'
  | 'ble.pulse-oximeter'
  | 'ble.glucose';

/** What is known of the connected device that changes how its bytes are read (absent: the specification alone). */
export interface DeviceTraits {
  /** Its Feature characteristic, parsed: which status flags it can set, its scale's resolution. */
  features?: DeviceFeatures;
  /** Its model's known deviations from the specification (quirks.ts), undone before parsing. */
  quirks?: ModelQuirks;
}

export interface BleMeasurementSource {
  characteristic: string;
  /** Bytes → canonical values, or the reason there is no reading. Pure. */
  toValues(bytes: Uint8Array, device?: DeviceTraits): ParseResult<MeasuredValues>;
  /** A record from the device's memory (glucose) rather than a live measurement. */
  stored?: boolean;
  /** Sends a value every second or so (heart-rate strap, continuous oximetry): stale sooner. */
  streaming?: boolean;
}

export interface BleDriver {
  id: BleDriverId;
  /** What the nurse sees when pairing. */
  label: string;
  service: string;
  measurements: readonly BleMeasurementSource[];
  /** Glucose: records are fetched through the Record Access Control Point after subscribing. */
  recordAccessControlPoint?: string;
  /**
   * Blood pressure: the cuff pressure while measuring, subscribed when the device offers it. Shown as
   * progress; never a reading.
   */
  cuffPressure?: { characteristic: string; toMmHg(bytes: Uint8Array): ParseResult<number> };
  /**
   * Glucose: the Measurement Context that follows a record whose flags say so (same sequence number);
   * its notes (meal, who tested) are added to that record's reading.
   */
  context?: {
    characteristic: string;
    toNotes(bytes: Uint8Array): ParseResult<{ sequenceNumber: number; notes: string[] }>;
  };
}

function pipe<T, R>(
  parse: (bytes: Uint8Array) => ParseResult<T>,
  toValues: (m: T, device: DeviceTraits) => ParseResult<R>,
): (bytes: Uint8Array, device?: DeviceTraits) => ParseResult<R> {
  return (bytes, device = {}) => {
    const m = parse(bytes);
    return m.ok ? toValues(m.value, device) : m;
  };
}

export const BLE_DRIVERS: readonly BleDriver[] = [
  {
    id: 'ble.heart-rate',
    label: 'Heart-rate monitor (Bluetooth)',
    service: HEART_RATE_SERVICE,
    measurements: [
      {
        characteristic: HEART_RATE_MEASUREMENT,
        toValues: pipe(parseHeartRateMeasurement, heartRateToValues),
        streaming: true,
      },
    ],
  },
  {
    id: 'ble.blood-pressure',
    label: 'Blood-pressure monitor (Bluetooth)',
    service: BLOOD_PRESSURE_SERVICE,
    measurements: [
      {
        characteristic: BLOOD_PRESSURE_MEASUREMENT,
        // A model's known deviations are undone first; the parser is the specification's.
        toValues: (bytes, device = {}) =>
          pipe(parseBloodPressureMeasurement, (m) =>
            bloodPressureToValues(m, device.features?.bloodPressure),
          )(applyBloodPressureQuirks(bytes, device.quirks?.bloodPressure)),
      },
    ],
    cuffPressure: {
      characteristic: INTERMEDIATE_CUFF_PRESSURE,
      toMmHg: pipe(parseIntermediateCuffPressure, cuffPressureToMmHg),
    },
  },
  {
    id: 'ble.thermometer',
    label: 'Thermometer (Bluetooth)',
    service: HEALTH_THERMOMETER_SERVICE,
    measurements: [
      {
        characteristic: TEMPERATURE_MEASUREMENT,
        toValues: pipe(parseTemperatureMeasurement, temperatureToValues),
      },
    ],
  },
  {
    id: 'ble.weight-scale',
    label: 'Scale (Bluetooth)',
    service: WEIGHT_SCALE_SERVICE,
    measurements: [
      {
        characteristic: WEIGHT_MEASUREMENT,
        toValues: pipe(parseWeightMeasurement, (m, device) =>
          weightToValues(m, device.features?.weightScale),
        ),
      },
    ],
  },
  {
    id: 'ble.pulse-oximeter',
    label: 'Pulse oximeter (Bluetooth)',
    service: PULSE_OXIMETER_SERVICE,
    measurements: [
      {
        characteristic: PLX_SPOT_CHECK_MEASUREMENT,
        toValues: pipe(parsePlxSpotCheckMeasurement, (m, device) =>
          pulseOximetryToValues(m, device.features?.plx),
        ),
      },
      {
        characteristic: PLX_CONTINUOUS_MEASUREMENT,
        toValues: pipe(parsePlxContinuousMeasurement, (m, device) =>
          pulseOximetryToValues(m, device.features?.plx),
        ),
        streaming: true,
      },
    ],
  },
  {
    id: 'ble.glucose',
    label: 'Glucose meter (Bluetooth)',
    service: GLUCOSE_SERVICE,
    measurements: [
      {
        characteristic: GLUCOSE_MEASUREMENT,
        toValues: pipe(parseGlucoseMeasurement, glucoseToValues),
        stored: true,
      },
    ],
    recordAccessControlPoint: RECORD_ACCESS_CONTROL_POINT,
    context: {
      characteristic: GLUCOSE_MEASUREMENT_CONTEXT,
      toNotes: pipe(parseGlucoseContext, (c) =>
        parsed({ sequenceNumber: c.sequenceNumber, notes: glucoseContextNotes(c) }),
      ),
    },
  },
];

export function bleDriverFor(id: string): BleDriver | undefined {
  return BLE_DRIVERS.find((d) => d.id === id);
}

/** The health services a scan looks for: 0x180D 0x1810 0x1809 0x181D 0x1822 0x1808. */
export const HEALTH_SERVICE_UUIDS: readonly string[] = BLE_DRIVERS.map((d) => d.service);
