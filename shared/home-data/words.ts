/** How home data is named and written on screen and in the printed summary. Pure. */
import type { HomeImportFormat, HomeMeasure } from './record';

export const HOME_MEASURE_LABELS: Readonly<Record<HomeMeasure, string>> = {
  heartRate: 'Heart rate',
  restingHeartRate: 'Resting heart rate',
  bloodPressure: 'Blood pressure',
  spo2: 'Oxygen saturation',
  respiratoryRate: 'Respiratory rate',
  bodyTemperature: 'Temperature',
  bodyWeight: 'Weight',
  bodyHeight: 'Height',
  glucose: 'Glucose',
  steps: 'Steps (daily total)',
  sleep: 'Sleep (nightly total)',
};

/** The unit as a nurse reads it (the stored unit is UCUM: HOME_MEASURE_UNITS). */
export const HOME_UNIT_WORDS: Readonly<Record<HomeMeasure, string>> = {
  heartRate: 'bpm',
  restingHeartRate: 'bpm',
  bloodPressure: 'mmHg',
  spo2: '%',
  respiratoryRate: '/min',
  bodyTemperature: '°C',
  bodyWeight: 'kg',
  bodyHeight: 'cm',
  glucose: 'mg/dL',
  steps: 'steps',
  sleep: 'h',
};

export const HOME_FORMAT_LABELS: Readonly<Record<HomeImportFormat, string>> = {
  'apple-health': 'Apple Health export',
  'dexcom-clarity': 'Dexcom Clarity CSV',
  libreview: 'LibreView CSV',
  'fhir-bundle': 'FHIR Bundle',
  'fhir-ndjson': 'FHIR NDJSON',
  'open-mhealth': 'Open mHealth',
  'mapped-csv': 'CSV (mapped columns)',
};

const DECIMALS: Readonly<Record<HomeMeasure, number>> = {
  heartRate: 0,
  restingHeartRate: 0,
  bloodPressure: 0,
  spo2: 0,
  respiratoryRate: 0,
  bodyTemperature: 1,
  bodyWeight: 1,
  bodyHeight: 0,
  glucose: 0,
  steps: 0,
  sleep: 1,
};

/** "128/82 mmHg", "< 40 mg/dL" (a CGM's Low), "7.4 h". */
export function homeValueText(row: {
  measure: HomeMeasure;
  value: number;
  diastolic?: number | null;
  beyondRange?: 'below' | 'above' | null;
}): string {
  const digits = DECIMALS[row.measure];
  const n = (v: number) => v.toFixed(digits);
  const unit = HOME_UNIT_WORDS[row.measure];
  if (row.measure === 'bloodPressure' && row.diastolic != null)
    return `${n(row.value)}/${n(row.diastolic)} ${unit}`;
  const prefix = row.beyondRange === 'below' ? '< ' : row.beyondRange === 'above' ? '> ' : '';
  return `${prefix}${n(row.value)} ${unit}`;
}

/** "Dexcom Clarity · android G6", or "Unknown source". */
export function homeSourceText(source: { sourceName: string | null; device: string | null }): string {
  return [source.sourceName, source.device].filter(Boolean).join(' · ') || 'Unknown source';
}
