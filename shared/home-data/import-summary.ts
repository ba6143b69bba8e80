/**
 * What the nurse sees before and after importing a home-data file, and what the clinician sees of it in
 * review. Crosses IPC, hence zod. Pure.
 */
import { z } from 'zod';
import { ecgPreviewSchema } from './ecg';
import {
  exportSubjectSchema,
  homeImportFormatSchema,
  homeMeasureSchema,
  importProblemSchema,
} from './record';

/** Where a value came from: the app or platform and the device, as the file names them. */
export const homeSourceSchema = z.object({
  sourceName: z.string().nullable(),
  device: z.string().nullable(),
  count: z.number().int().nonnegative(),
});
export type HomeSource = z.infer<typeof homeSourceSchema>;

export const homeSampleRowSchema = z.object({
  measure: homeMeasureSchema,
  effectiveStart: z.string(),
  effectiveEnd: z.string().nullable(),
  value: z.number(),
  diastolic: z.number().nullable(),
  unit: z.string(),
  beyondRange: z.enum(['below', 'above']).nullable(),
  sourceName: z.string().nullable(),
  device: z.string().nullable(),
});
export type HomeSampleRow = z.infer<typeof homeSampleRowSchema>;

/** How the export's own patient details compare with the chart. */
export const subjectCheckSchema = z.object({
  subject: exportSubjectSchema.nullable(),
  /** The details that differ, e.g. ["birth date", "sex"]; empty when they match or the file names none. */
  mismatches: z.array(z.enum(['name', 'birth date', 'sex'])),
});
export type SubjectCheck = z.infer<typeof subjectCheckSchema>;

/** Problems shown at most; the count says how many there were in all. */
export const MAX_PROBLEMS_SHOWN = 200;

export const homeImportPreviewSchema = z.object({
  format: homeImportFormatSchema,
  fileName: z.string(),
  fileBytes: z.number().int().nonnegative(),
  recordsRead: z.number().int().nonnegative(),
  /** Not yet stored for this patient: what "Import" would add. */
  newRecords: z.number().int().nonnegative(),
  /** Already stored for this patient from an earlier import of this or an overlapping export. */
  alreadyImported: z.number().int().nonnegative(),
  /** The same record twice in this file (kept once). */
  duplicatesInFile: z.number().int().nonnegative(),
  firstEffective: z.string().nullable(),
  lastEffective: z.string().nullable(),
  counts: z.array(z.object({ measure: homeMeasureSchema, count: z.number().int().nonnegative() })),
  sources: z.array(homeSourceSchema),
  samples: z.array(homeSampleRowSchema),
  problems: z.array(importProblemSchema),
  problemCount: z.number().int().nonnegative(),
  /** Any error-severity problem: nothing can be imported from this file. */
  blocked: z.boolean(),
  subjectCheck: subjectCheckSchema,
  /** Watch ECGs in the file (Apple Health), counted per classification. */
  ecgs: ecgPreviewSchema.optional(),
});
export type HomeImportPreview = z.infer<typeof homeImportPreviewSchema>;

export const homeImportResultSchema = z.object({
  importId: z.string(),
  format: homeImportFormatSchema,
  recordsRead: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  alreadyImported: z.number().int().nonnegative(),
  duplicatesInFile: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  /** Watch ECGs stored (Apple Health). */
  ecgsAdded: z.number().int().nonnegative().optional(),
});
export type HomeImportResult = z.infer<typeof homeImportResultSchema>;

export const homeImportProgressSchema = z.object({
  jobId: z.string(),
  phase: z.enum(['reading', 'saving']),
  bytesRead: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative().nullable(),
  records: z.number().int().nonnegative(),
});
export type HomeImportProgress = z.infer<typeof homeImportProgressSchema>;

/** A stored patient-generated value, as review shows it. */
export const homeObservationSchema = homeSampleRowSchema.extend({
  id: z.string(),
  format: homeImportFormatSchema,
});
export type HomeObservation = z.infer<typeof homeObservationSchema>;

export const homeImportRecordSchema = z.object({
  id: z.string(),
  format: homeImportFormatSchema,
  fileName: z.string(),
  importedAt: z.string(),
  importedBy: z.string(),
  recordsRead: z.number().int().nonnegative(),
  recordsAdded: z.number().int().nonnegative(),
  firstEffective: z.string().nullable(),
  lastEffective: z.string().nullable(),
  subjectConfirmed: z.boolean(),
});
export type HomeImportRecord = z.infer<typeof homeImportRecordSchema>;
