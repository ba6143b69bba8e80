import { z } from 'zod';
import { channel, event } from '../contract';
import { remoteObservationSchema } from '../../fhir/from-observation';

export const syncItemStateSchema = z.enum(['pending', 'superseded', 'sent', 'rejected', 'unknown']);

export const syncStatusSchema = z.object({
  /** false: no FHIR server is configured at this workstation; nothing is sent. */
  configured: z.boolean(),
  /** Observations waiting to be sent. */
  queueLength: z.number().int().nonnegative(),
  /** Corrected patient details and finished visits waiting to be sent. */
  updatesWaiting: z.number().int().nonnegative(),
  /** Entries the server refused for good (shown so someone follows up). */
  rejected: z.number().int().nonnegative(),
  /** The patients' own values brought in as home data: counted apart from the clinic's. */
  homeData: z.object({
    waiting: z.number().int().nonnegative(),
    sent: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
  }),
  lastSuccessAt: z.string().nullable(),
  /** A sentence without patient data, e.g. "The FHIR server could not be reached." */
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  /** When the next attempt is due while backing off. */
  nextAttemptAt: z.string().nullable(),
  observations: z.array(
    z.object({
      observationId: z.string(),
      state: syncItemStateSchema,
      attempts: z.number().int().nonnegative(),
      sentAt: z.string().nullable(),
    }),
  ),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncChannels = {
  'sync.status': channel({
    summary:
      'Sync with the care team’s FHIR server: queue length, last success and error, state of given observations',
    audit: { action: 'R', event: 'application-activity' },
    access: ['nurse', 'clinician', 'admin'],
    phi: 'none',
    request: z.object({ observationIds: z.array(z.string().min(1).max(100)).max(500).default([]) }).strict(),
    response: syncStatusSchema,
  }),
  'sync.now': channel({
    summary: 'Try to send waiting observations now (unless sync is waiting after an error)',
    audit: { action: 'E', event: 'application-activity' },
    access: ['nurse', 'clinician', 'admin'],
    phi: 'none',
    request: z.object({}).strict(),
    response: z.object({
      sent: z.number().int().nonnegative(),
      rejected: z.number().int().nonnegative(),
      ok: z.boolean(),
    }),
  }),
  'sync.pullPatient': channel({
    summary: 'Fetch a patient’s observations recorded elsewhere from the FHIR server, for review',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z.object({ patientId: z.string().uuid() }).strict(),
    response: z.object({
      observations: z.array(remoteObservationSchema),
      skipped: z.number().int().nonnegative(),
      /** The server could not be reached: these were fetched earlier. */
      fromCache: z.literal(true).optional(),
    }),
  }),
};

export const syncEvents = {
  'sync.changed': event({
    access: ['nurse', 'clinician', 'admin'],
    summary: 'The sync queue or its last result changed',
    payload: z.object({
      queueLength: z.number().int().nonnegative(),
      updatesWaiting: z.number().int().nonnegative(),
      lastSuccessAt: z.string().nullable(),
      lastError: z.string().nullable(),
    }),
  }),
};
