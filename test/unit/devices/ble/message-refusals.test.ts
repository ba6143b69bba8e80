/**
 * What each BLE profile says when a message is empty or cut short (the exact refusal, never a reading
 * made from bytes that are not there), and what a pulse oximeter's status words tell the nurse:
 * sensor off the finger, a fault, an invalid or settling value, demonstration data (which must never
 * reach a chart), and the notes that travel with a good value.
 */
import { describe, expect, it } from 'vitest';
import { parseBloodPressureMeasurement } from '../../../../main/devices/ble/profiles/blood-pressure';
import { parseGlucoseContext, parseGlucoseMeasurement } from '../../../../main/devices/ble/profiles/glucose';
import { parseTemperatureMeasurement } from '../../../../main/devices/ble/profiles/health-thermometer';
import {
  heartRateToValues,
  parseHeartRateMeasurement,
} from '../../../../main/devices/ble/profiles/heart-rate';
import {
  parsePlxContinuousMeasurement,
  parsePlxSpotCheckMeasurement,
  PLX_DEVICE_LOW_PERFUSION,
  PLX_DEVICE_MALFUNCTION,
  PLX_SENSOR_DISCONNECTED,
  PLX_SENSOR_DISPLACED,
  PLX_SENSOR_MALFUNCTIONING,
  PLX_SENSOR_UNCONNECTED,
  PLX_STATUS_CALIBRATION,
  PLX_STATUS_DEMONSTRATION,
  PLX_STATUS_EARLY_ESTIMATE,
  PLX_STATUS_INVALID,
  PLX_STATUS_ONGOING,
  PLX_STATUS_QUESTIONABLE,
  PLX_STATUS_TESTING,
  PLX_STATUS_UNAVAILABLE,
  pulseOximetryToValues,
} from '../../../../main/devices/ble/profiles/pulse-oximeter';
import { parseWeightMeasurement } from '../../../../main/devices/ble/profiles/weight-scale';
import { encodeHeartRate, encodePlxContinuous, encodePlxSpotCheck, sfloat } from '../../../sim/ble/encoders';
import { expectOk } from './table';

const truncated = (message: string) => ({ ok: false, error: { code: 'TRUNCATED', message } });

describe('empty and cut-short BLE messages', () => {
  // For each parser: its noun, and a flags byte announcing fields that then do not come.
  const parsers: [string, (bytes: Uint8Array) => unknown, string][] = [
    ['blood-pressure', parseBloodPressureMeasurement, 'blood-pressure'],
    ['glucose', parseGlucoseMeasurement, 'glucose'],
    ['glucose context', parseGlucoseContext, 'glucose context'],
    ['temperature', parseTemperatureMeasurement, 'temperature'],
    ['heart-rate', parseHeartRateMeasurement, 'heart-rate'],
    ['pulse-oximeter spot check', parsePlxSpotCheckMeasurement, 'pulse-oximeter'],
    ['pulse-oximeter continuous', parsePlxContinuousMeasurement, 'pulse-oximeter'],
    ['weight', parseWeightMeasurement, 'weight'],
  ];

  it.each(parsers)('%s: an empty message is refused as empty', (_name, parse, noun) => {
    expect(parse(new Uint8Array(0))).toEqual(truncated(`The ${noun} message is empty.`));
  });

  it.each(parsers)('%s: a flags byte alone is refused as incomplete', (_name, parse, noun) => {
    expect(parse(Uint8Array.of(0x00))).toEqual(truncated(`The ${noun} message is incomplete.`));
  });

  it('heart rate: an odd byte after the RR intervals is a cut frame; a whole interval is read', () => {
    const whole = encodeHeartRate({ heartRate: 72, rr: [1024, 512] });
    expect(expectOk(parseHeartRateMeasurement(whole)).rrIntervals).toEqual([1, 0.5]);
    const cut = whole.subarray(0, whole.length - 1);
    expect(parseHeartRateMeasurement(cut)).toEqual(truncated('The heart-rate message is incomplete.'));
    // The RR flag with no interval at all is a heart rate without intervals.
    const none = Uint8Array.of(0x10, 72);
    expect(expectOk(parseHeartRateMeasurement(none)).rrIntervals).toEqual([]);
  });

  it('heart rate: says how many RR intervals came with the value, and nothing when none did', () => {
    const withRr = expectOk(
      parseHeartRateMeasurement(encodeHeartRate({ heartRate: 72, rr: [1024, 900, 800] })),
    );
    expect(heartRateToValues(withRr)).toEqual({
      ok: true,
      value: { values: [{ kind: 'heartRate', value: 72, unit: '/min' }], notes: ['3 RR intervals received'] },
    });
    const without = expectOk(parseHeartRateMeasurement(encodeHeartRate({ heartRate: 72 })));
    expect(expectOk(heartRateToValues(without)).notes).toEqual([]);
    expect(heartRateToValues({ heartRate: 72, sensorContact: 'not-detected', rrIntervals: [] })).toEqual({
      ok: false,
      error: { code: 'UNSTABLE', message: 'The heart-rate sensor is not touching the skin.' },
    });
  });
});

describe('pulse oximeter status words', () => {
  const unstable = (message: string) => ({ ok: false, error: { code: 'UNSTABLE', message } });
  const OFF = unstable('The oximeter sensor is not on the finger.');
  const FAULT = unstable('The oximeter reports a sensor fault.');
  const INVALID = unstable('The oximeter says this measurement is not valid.');
  const SETTLING = unstable('The oximeter is still settling; wait for a steady reading.');
  const DEMO = unstable('The oximeter is in demonstration or test mode.');
  const good = (notes: string[] = []) => ({
    ok: true,
    value: {
      values: [
        { kind: 'spo2', value: 97, unit: '%' },
        { kind: 'heartRate', value: 72, unit: '/min' },
      ],
      notes,
    },
  });

  const spot = (status: { measurementStatus?: number; deviceAndSensorStatus?: number }) =>
    pulseOximetryToValues(
      expectOk(
        parsePlxSpotCheckMeasurement(
          encodePlxSpotCheck({ spo2: sfloat(97), pulseRate: sfloat(72), ...status }),
        ),
      ),
    );
  const continuous = (status: { measurementStatus?: number; deviceAndSensorStatus?: number }) =>
    pulseOximetryToValues(
      expectOk(
        parsePlxContinuousMeasurement(
          encodePlxContinuous({ spo2: sfloat(97), pulseRate: sfloat(72), ...status }),
        ),
      ),
    );

  it.each([
    ['no status at all', {}, good()],
    ['sensor unconnected', { deviceAndSensorStatus: PLX_SENSOR_UNCONNECTED }, OFF],
    ['sensor disconnected', { deviceAndSensorStatus: PLX_SENSOR_DISCONNECTED }, OFF],
    ['sensor displaced', { deviceAndSensorStatus: PLX_SENSOR_DISPLACED }, OFF],
    ['sensor malfunctioning', { deviceAndSensorStatus: PLX_SENSOR_MALFUNCTIONING }, FAULT],
    ['device malfunction', { deviceAndSensorStatus: PLX_DEVICE_MALFUNCTION }, FAULT],
    ['value unavailable', { measurementStatus: PLX_STATUS_UNAVAILABLE }, INVALID],
    ['value invalid', { measurementStatus: PLX_STATUS_INVALID }, INVALID],
    ['calibrating', { measurementStatus: PLX_STATUS_CALIBRATION }, SETTLING],
    ['early estimate', { measurementStatus: PLX_STATUS_EARLY_ESTIMATE }, SETTLING],
    ['a spot check still ongoing', { measurementStatus: PLX_STATUS_ONGOING }, SETTLING],
    ['demonstration data', { measurementStatus: PLX_STATUS_DEMONSTRATION }, DEMO],
    ['test data', { measurementStatus: PLX_STATUS_TESTING }, DEMO],
    [
      'a questionable value',
      { measurementStatus: PLX_STATUS_QUESTIONABLE },
      good(['The oximeter flagged this measurement as questionable']),
    ],
    ['low perfusion', { deviceAndSensorStatus: PLX_DEVICE_LOW_PERFUSION }, good(['Low perfusion'])],
    [
      'questionable with low perfusion',
      { measurementStatus: PLX_STATUS_QUESTIONABLE, deviceAndSensorStatus: PLX_DEVICE_LOW_PERFUSION },
      good(['The oximeter flagged this measurement as questionable', 'Low perfusion']),
    ],
  ])('spot check, %s', (_why, status, expected) => {
    expect(spot(status)).toEqual(expected);
  });

  it.each([
    ['demonstration data', { measurementStatus: PLX_STATUS_DEMONSTRATION }, DEMO],
    ['test data', { measurementStatus: PLX_STATUS_TESTING }, DEMO],
    ['sensor displaced', { deviceAndSensorStatus: PLX_SENSOR_DISPLACED }, OFF],
    // On the continuous stream "ongoing" is set while the probe streams: the value is live.
    ['measurement ongoing', { measurementStatus: PLX_STATUS_ONGOING }, good()],
    ['low perfusion', { deviceAndSensorStatus: PLX_DEVICE_LOW_PERFUSION }, good(['Low perfusion'])],
  ])('continuous, %s', (_why, status, expected) => {
    expect(continuous(status)).toEqual(expected);
  });
});
