/**
 * Home and wearable data a patient brings to the visit (Apple Health, CGM exports, FHIR,
 * Open mHealth, mapped CSV). Patient-generated: stored apart from clinic measurements and
 * never fed into NEWS2 or a clinic flag. Values are in the canonical unit of their measure
 * (the same units clinic vitals are stored in), converted from the source's own unit.
 */
import { z } from 'zod';

export const homeMeasureSchema = z.enum([
  'heartRate',
  'restingHeartRate',
  'bloodPressure',
  'spo2',
  'respiratoryRate',
  'bodyTemperature',
  'bodyWeight',
  'bodyHeight',
  'glucose',
  'steps',
  'sleep',
]);
export type HomeMeasure = z.infer<typeof homeMeasureSchema>;

/** Canonical UCUM unit per measure: what is stored and sent over FHIR. */
export const HOME_MEASURE_UNITS: Readonly<Record<HomeMeasure, string>> = {
  heartRate: '/min',
  restingHeartRate: '/min',
  bloodPressure: 'mm[Hg]',
  spo2: '%',
  respiratoryRate: '/min',
  bodyTemperature: 'Cel',
  bodyWeight: 'kg',
  bodyHeight: 'cm',
  glucose: 'mg/dL',
  steps: '/d',
  sleep: 'h',
};

export const homeImportFormatSchema = z.enum([
  'apple-health',
  'dexcom-clarity',
  'libreview',
  'fhir-bundle',
  'fhir-ndjson',
  'open-mhealth',
  'mapped-csv',
]);
export type HomeImportFormat = z.infer<typeof homeImportFormatSchema>;

export const homeRecordSchema = z.object({
  /** Stable identity of the source record: the same record in a later export gets the same id. */
  sourceRecordId: z.string().min(1).max(512),
  measure: homeMeasureSchema,
  /** ISO 8601 instant the measurement was taken (or the start of a daily/nightly total). */
  effectiveStart: z.string().min(1),
  effectiveEnd: z.string().min(1).optional(),
  /** In HOME_MEASURE_UNITS[measure]; systolic for blood pressure. */
  value: z.number().finite(),
  /** Blood pressure only. */
  diastolic: z.number().finite().optional(),
  /** CGM "Low"/"High": the sensor's limit, value is the limit itself. */
  beyondRange: z.enum(['below', 'above']).optional(),
  /** The app or platform that recorded it (Apple Health `sourceName`, "Dexcom Clarity"...). */
  sourceName: z.string().max(256).optional(),
  /** The device that measured it, as the source describes it. */
  device: z.string().max(512).optional(),
  /**
   * A total a later export may revise (a day's steps, a night's sleep): what it is a total of. A record
   * with a series supersedes the stored total of the same series when its figure differs.
   */
  series: z.string().min(1).max(512).optional(),
});
export type HomeRecord = z.infer<typeof homeRecordSchema>;

export const importProblemSchema = z.object({
  severity: z.enum(['error', 'warning']),
  /** 1-based line or record number in the source, when known. */
  at: z.number().int().positive().optional(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

/** Who the export says the patient is (Apple Health `Me`), checked against the chart. */
export const exportSubjectSchema = z.object({
  birthDate: z.string().optional(),
  sex: z.enum(['female', 'male', 'other']).optional(),
});
export type ExportSubject = z.infer<typeof exportSubjectSchema>;
