/**
 * Connection stage: the device's Feature characteristic, where its profile has one (Blood Pressure
 * Feature, Weight Scale Feature, PLX Features), read once: parsed for reading the device's
 * measurements (which status notes to trust, the scale's resolution) and put in words for the device
 * details. A device without it, or one that sends a value that does not parse, connects all the same
 * and its measurements are read as before.
 */
import type { ParseResult } from '../../parse-result';
import { BLOOD_PRESSURE_SERVICE } from '../profiles/blood-pressure';
import {
  type DeviceFeatures,
  BLOOD_PRESSURE_FEATURE,
  bloodPressureFeatureWords,
  parseBloodPressureFeature,
  parsePlxFeatures,
  parseWeightScaleFeature,
  PLX_FEATURES,
  plxFeatureWords,
  WEIGHT_SCALE_FEATURE,
  weightScaleFeatureWords,
} from '../profiles/features';
import { PULSE_OXIMETER_SERVICE } from '../profiles/pulse-oximeter';
import { WEIGHT_SCALE_SERVICE } from '../profiles/weight-scale';
import { hasCharacteristic, propertiesOf, type StageContext } from './shared';

export interface ReadFeatures {
  features: DeviceFeatures;
  words: string[];
}

interface FeatureReader {
  characteristic: string;
  read(bytes: Uint8Array): ParseResult<ReadFeatures>;
}

const then =
  <K extends keyof DeviceFeatures>(
    key: K,
    parse: (bytes: Uint8Array) => ParseResult<NonNullable<DeviceFeatures[K]>>,
    words: (value: NonNullable<DeviceFeatures[K]>) => string[],
  ) =>
  (bytes: Uint8Array): ParseResult<ReadFeatures> => {
    const result = parse(bytes);
    if (!result.ok) return result;
    const features: DeviceFeatures = {};
    features[key] = result.value;
    return { ok: true, value: { features, words: words(result.value) } };
  };

/** Service → its Feature characteristic. */
export const FEATURE_READERS: Readonly<Record<string, FeatureReader>> = {
  [BLOOD_PRESSURE_SERVICE]: {
    characteristic: BLOOD_PRESSURE_FEATURE,
    read: then('bloodPressure', parseBloodPressureFeature, bloodPressureFeatureWords),
  },
  [WEIGHT_SCALE_SERVICE]: {
    characteristic: WEIGHT_SCALE_FEATURE,
    read: then('weightScale', parseWeightScaleFeature, weightScaleFeatureWords),
  },
  [PULSE_OXIMETER_SERVICE]: {
    characteristic: PLX_FEATURES,
    read: then('plx', parsePlxFeatures, plxFeatureWords),
  },
};

/** The device's features, parsed and in words; undefined when it has no Feature characteristic or it could not be read. */
export async function readDeviceFeatures(
  ctx: Pick<StageContext, 'link' | 'services' | 'driver' | 'logger'>,
): Promise<ReadFeatures | undefined> {
  const { link, services, driver } = ctx;
  const reader = FEATURE_READERS[driver.service];
  if (!reader || !hasCharacteristic(services, driver.service, reader.characteristic)) return undefined;
  if (!propertiesOf(services, driver.service, reader.characteristic).includes('read')) return undefined;
  try {
    const result = reader.read(await link.read(driver.service, reader.characteristic));
    if (result.ok) return result.value;
    ctx.logger.warn('devices.ble.features_unreadable', { driver: driver.id, code: result.error.code });
  } catch {
    ctx.logger.warn('devices.ble.features_read_failed', { driver: driver.id });
  }
  return undefined;
}
