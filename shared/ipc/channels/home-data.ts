/**
 * Home data (patient-generated values from watches, cuffs, scales, oximeters and glucose sensors): the
 * nurse chooses an export, sees a preview, imports it into the open patient; review reads it back.
 * The file itself never crosses the bridge: main opens it (its own file dialog) and the renderer holds
 * only a token and the file's name.
 */
import { z } from 'zod';
import { channel, event } from '../contract';
import { csvColumnMappingSchema } from '../../home-data/csv-mapping';
import { ecgTraceSchema, storedEcgSchema } from '../../home-data/ecg';
import { homeMeasureSchema } from '../../home-data/record';
import {
  homeImportPreviewSchema,
  homeImportProgressSchema,
  homeImportRecordSchema,
  homeImportResultSchema,
  homeObservationSchema,
  homeSourceSchema,
} from '../../home-data/import-summary';

const jobId = z.string().uuid();
const fileToken = z.string().regex(/^[0-9a-f]{32}$/);

export const homeDataChannels = {
  'homeData.chooseFile': channel({
    summary: 'Open a file dialog on this workstation to choose a patient’s home-data export',
    audit: { action: 'E', event: 'application-activity' },
    access: ['nurse', 'clinician'],
    phi: 'none',
    request: z.object({}).strict(),
    response: z.object({
      file: z
        .object({ token: fileToken, fileName: z.string(), fileBytes: z.number().int().nonnegative() })
        .nullable(),
    }),
  }),
  'homeData.acceptDrop': channel({
    summary:
      'Take a file the nurse dropped on the window: its path comes from the window host (preload or Chromium host), never from this request',
    audit: { action: 'E', event: 'application-activity' },
    access: ['nurse', 'clinician'],
    phi: 'none',
    request: z.object({}).strict(),
    response: z.object({
      file: z.object({ token: fileToken, fileName: z.string(), fileBytes: z.number().int().nonnegative() }),
    }),
  }),
  'homeData.preview': channel({
    summary:
      'Read a chosen home-data file and show what importing it would add: source, dates, counts, sample rows, problems',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z
      .object({
        jobId,
        patientId: z.string().uuid(),
        fileToken,
        /** A CSV of no known kind: how its columns map, as the nurse confirmed it. */
        mapping: csvColumnMappingSchema.optional(),
        /** Show the mapping form even when this layout has a saved mapping (the nurse chose Change). */
        remap: z.boolean().optional(),
      })
      .strict(),
    response: z.discriminatedUnion('status', [
      z.object({
        status: z.literal('done'),
        preview: homeImportPreviewSchema,
        /** A CSV of no known kind: read with the layout's saved mapping, or the one the nurse just confirmed. */
        csvMapping: z.enum(['saved', 'confirmed']).optional(),
      }),
      z.object({ status: z.literal('cancelled') }),
      /** A CSV of no known kind: the nurse maps its columns first (a remembered mapping is offered). */
      z.object({
        status: z.literal('needs-mapping'),
        header: z.array(z.string()),
        delimiter: z.enum([',', ';', '\t']),
        layoutKey: z.string(),
        /** The first few data rows, to map by and to show as they would import. */
        sampleRows: z.array(z.array(z.string())),
        remembered: csvColumnMappingSchema.nullable(),
        /** The units this app reads, per measure. */
        units: z.record(z.string(), z.array(z.string())),
      }),
    ]),
  }),
  'homeData.tryMapping': channel({
    summary: 'Read the first rows of a chosen CSV with a proposed column mapping, as they would import',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z.object({ fileToken, mapping: csvColumnMappingSchema }).strict(),
    response: z.object({
      rows: z.array(
        z.union([
          z.object({
            line: z.number().int(),
            record: z.object({
              measure: homeMeasureSchema,
              effectiveStart: z.string(),
              value: z.number(),
              diastolic: z.number().optional(),
            }),
          }),
          z.object({ line: z.number().int(), problem: z.string() }),
        ]),
      ),
    }),
  }),
  'homeData.import': channel({
    summary: 'Store the previewed home-data file for the patient, in one step: all its new values or none',
    audit: { action: 'C', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'write',
    request: z
      .object({ jobId, patientId: z.string().uuid(), confirmSubjectMismatch: z.boolean().default(false) })
      .strict(),
    response: z.discriminatedUnion('status', [
      z.object({ status: z.literal('done'), result: homeImportResultSchema }),
      z.object({ status: z.literal('cancelled') }),
    ]),
  }),
  'homeData.cancel': channel({
    summary: 'Stop reading or importing a home-data file; nothing of it is kept',
    audit: { action: 'E', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'write',
    request: z.object({ jobId, patientId: z.string().uuid() }).strict(),
    response: z.object({}),
  }),
  'homeData.forPatient': channel({
    summary: 'A patient’s home values over a time range, their sources and the imports they came from',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z
      .object({
        patientId: z.string().uuid(),
        from: z.string().datetime({ offset: true }),
        to: z.string().datetime({ offset: true }),
      })
      .strict(),
    response: z.object({
      observations: z.array(homeObservationSchema),
      /** More values than shown in that range (the newest are left out). */
      truncated: z.boolean(),
      sources: z.array(homeSourceSchema),
      imports: z.array(homeImportRecordSchema),
      /** Watch ECGs, newest first (at most 200), without their traces. */
      ecgs: z.array(storedEcgSchema),
    }),
  }),
  'homeData.ecgTrace': channel({
    summary: 'One watch ECG the patient brought, with its whole trace, for review to draw as a paper strip',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z
      .object({ patientId: z.string().uuid(), id: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/) })
      .strict(),
    response: ecgTraceSchema,
  }),
};

export const homeDataEvents = {
  'homeData.progress': event({
    access: ['nurse', 'clinician'],
    summary: 'How far the reading or storing of a home-data file has come',
    payload: homeImportProgressSchema,
  }),
};
