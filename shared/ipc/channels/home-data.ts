/**
 * Home data (patient-generated values from watches, cuffs, scales, oximeters and glucose sensors): the
 * nurse chooses an export, sees a preview, imports it into the open patient; review reads it back.
 * The file itself never crosses the bridge: main opens it (its own file dialog) and the renderer holds
 * only a token and the file's name.
 */
import { z } from 'zod';
import { channel, event } from '../contract';
import { csvColumnMappingSchema } from '../../home-data/csv-mapping';
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
      })
      .strict(),
    response: z.discriminatedUnion('status', [
      z.object({ status: z.literal('done'), preview: homeImportPreviewSchema }),
      z.object({ status: z.literal('cancelled') }),
      /** A CSV of no known kind: the nurse maps its columns first (a remembered mapping is offered). */
      z.object({
        status: z.literal('needs-mapping'),
        header: z.array(z.string()),
        delimiter: z.enum([',', ';', '\t']),
        layoutKey: z.string(),
        remembered: csvColumnMappingSchema.nullable(),
      }),
    ]),
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
    }),
  }),
};

export const homeDataEvents = {
  'homeData.progress': event({
    access: ['nurse', 'clinician'],
    summary: 'How far the reading or storing of a home-data file has come',
    payload: homeImportProgressSchema,
  }),
};
