/**
 * Electrocardiograms a patient recorded with a watch (Apple Health's `electrocardiograms/*.csv`). The
 * classification is the watch app's own reading of the trace: patient-generated, never a diagnosis of
 * the clinic, and shown as such wherever it appears.
 */
import { z } from 'zod';

export const ecgClassificationSchema = z.enum([
  'sinusRhythm',
  'atrialFibrillation',
  'highHeartRate',
  'lowHeartRate',
  'poorRecording',
  'inconclusive',
  'other',
]);
export type EcgClassification = z.infer<typeof ecgClassificationSchema>;

/** How the classification reads on screen and in print. */
export const ECG_CLASSIFICATION_WORDS: Readonly<Record<EcgClassification, string>> = {
  sinusRhythm: 'Sinus rhythm',
  atrialFibrillation: 'Atrial fibrillation',
  highHeartRate: 'Inconclusive: high heart rate',
  lowHeartRate: 'Inconclusive: low heart rate',
  poorRecording: 'Inconclusive: poor recording',
  inconclusive: 'Inconclusive',
  other: 'Not classified',
};

/** Said beside every ECG classification: whose reading it is. */
export const ECG_CLASSIFICATION_NOTE =
  'The watch’s own classification, reported by the patient — not a clinic diagnosis.';

/** One recording, without its samples (those stay in the database). */
export const homeEcgSchema = z.object({
  /** Stable identity: the recorded instant, the same in every later export. */
  sourceRecordId: z.string().min(1).max(128),
  /** ISO 8601 instant the recording started. */
  recordedAt: z.string().min(1),
  classification: ecgClassificationSchema,
  /** The classification as the export wrote it. */
  classificationText: z.string().max(128),
  averageHeartRate: z.number().finite().positive().optional(),
  symptoms: z.array(z.string().min(1).max(128)).max(20),
  device: z.string().max(256).optional(),
  softwareVersion: z.string().max(64).optional(),
  sampleRateHz: z.number().finite().positive(),
  lead: z.string().max(64).optional(),
  sampleCount: z.number().int().nonnegative(),
});
export type HomeEcg = z.infer<typeof homeEcgSchema>;

/** What the preview says of the ECGs in a file. */
export const ecgPreviewSchema = z.object({
  count: z.number().int().nonnegative(),
  newCount: z.number().int().nonnegative(),
  byClassification: z.array(
    z.object({ classification: ecgClassificationSchema, count: z.number().int().positive() }),
  ),
});
export type EcgPreview = z.infer<typeof ecgPreviewSchema>;

/** A stored ECG as review lists it. */
export const storedEcgSchema = homeEcgSchema.extend({ id: z.string() });
export type StoredEcg = z.infer<typeof storedEcgSchema>;

/** Samples kept per recording (a minute at 1 kHz); a watch records 30 s at about 512 Hz. */
export const ECG_MAX_SAMPLES = 60_000;

/** One recording with its trace, for review to draw. */
export const ecgTraceSchema = z.object({
  ecg: storedEcgSchema,
  /** Lead I in µV, in recording order, at `ecg.sampleRateHz`. */
  microvolts: z.array(z.number().finite()).max(ECG_MAX_SAMPLES),
});
export type EcgTrace = z.infer<typeof ecgTraceSchema>;
