/**
 * Connection stage: the device's Feature characteristic, where its profile has one (Blood Pressure
 * Feature, Weight Scale Feature, PLX Features), read once and put in words for the device details.
 * A device without it, or one that sends a value that does not parse, connects all the same.
 */
import type { ParseResult } from '../../parse-result';
import { BLOOD_PRESSURE_SERVICE } from '../profiles/blood-pressure';
import {
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

interface FeatureReader {
  characteristic: string;
  words(bytes: Uint8Array): ParseResult<string[]>;
}

const then =
  <T>(parse: (bytes: Uint8Array) => ParseResult<T>, words: (value: T) => string[]) =>
  (bytes: Uint8Array): ParseResult<string[]> => {
    const result = parse(bytes);
    return result.ok ? { ok: true, value: words(result.value) } : result;
  };

/** Service → its Feature characteristic. */
export const FEATURE_READERS: Readonly<Record<string, FeatureReader>> = {
  [BLOOD_PRESSURE_SERVICE]: {
    characteristic: BLOOD_PRESSURE_FEATURE,
    words: then(parseBloodPressureFeature, bloodPressureFeatureWords),
  },
  [WEIGHT_SCALE_SERVICE]: {
    characteristic: WEIGHT_SCALE_FEATURE,
    words: then(parseWeightScaleFeature, weightScaleFeatureWords),
  },
  [PULSE_OXIMETER_SERVICE]: { characteristic: PLX_FEATURES, words: then(parsePlxFeatures, plxFeatureWords) },
};

/** The device's features in words; undefined when it has no Feature characteristic or it could not be read. */
export async function readDeviceFeatures(
  ctx: Pick<StageContext, 'link' | 'services' | 'driver' | 'logger'>,
): Promise<string[] | undefined> {
  const { link, services, driver } = ctx;
  const reader = FEATURE_READERS[driver.service];
  if (!reader || !hasCharacteristic(services, driver.service, reader.characteristic)) return undefined;
  if (!propertiesOf(services, driver.service, reader.characteristic).includes('read')) return undefined;
  try {
    const result = reader.words(await link.read(driver.service, reader.characteristic));
    if (result.ok) return result.value;
    ctx.logger.warn('devices.ble.features_unreadable', { driver: driver.id, code: result.error.code });
  } catch {
    ctx.logger.warn('devices.ble.features_read_failed', { driver: driver.id });
  }
  return undefined;
}
