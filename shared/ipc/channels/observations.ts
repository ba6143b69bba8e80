import { z } from 'zod';
import { channel, event } from '../contract';
import { confirmationSchema } from '../../clinical/confirmation';
import {
  correctionReasonSchema,
  newObservationSchema,
  observationKindSchema,
  observationSchema,
  observationValueSchema,
} from '../../records/observation';

export const observationChannels = {
  'observations.record': channel({
    summary: 'Record a vital sign typed in for a patient (a device reading is filed only by devices.accept)',
    audit: { action: 'C', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'write',
    /**
     * `confirmed`: the second confirmations the nurse gave (shared/clinical/confirmation.ts). Without the
     * one a value needs, main answers NEEDS_CONFIRMATION with issues `confirmed.<check>` and saves nothing.
     */
    request: newObservationSchema
      .extend({ confirmed: z.array(confirmationSchema).max(2).optional() })
      .strict(),
    response: observationSchema,
  }),
  'observations.amend': channel({
    summary: 'Correct a recorded vital sign: a new version with a reason; the old one stays in the history',
    audit: { action: 'U', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'write',
    request: z
      .object({
        observationId: z.string().uuid(),
        value: observationValueSchema,
        reason: correctionReasonSchema,
        /** A rare corrected value needs `['outer-band']`, as when it is recorded. */
        confirmed: z.array(confirmationSchema).max(2).optional(),
      })
      .strict(),
    response: observationSchema,
  }),
  'observations.enterInError': channel({
    summary: 'Withdraw a vital sign recorded in error (kept in the history, with the reason)',
    audit: { action: 'U', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'write',
    request: z.object({ observationId: z.string().uuid(), reason: correctionReasonSchema }).strict(),
    response: observationSchema,
  }),
  'observations.latest': channel({
    summary: "The patient's newest value of each vital sign",
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z.object({ patientId: z.string().uuid() }).strict(),
    response: z.array(observationSchema),
  }),
  'observations.history': channel({
    summary: "The patient's values of one vital sign (LOINC code) over a time range",
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z
      .object({
        patientId: z.string().uuid(),
        code: z.string().regex(/^\d{1,7}-\d$/, 'A LOINC code such as 8867-4.'),
        from: z.string().datetime({ offset: true }).optional(),
        to: z.string().datetime({ offset: true }).optional(),
      })
      .strict(),
    response: z.array(observationSchema),
  }),
  'observations.versions': channel({
    summary: 'Every version of one measurement: the original and each correction, with reasons',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z.object({ seriesId: z.string().uuid() }).strict(),
    response: z.array(observationSchema),
  }),
  'observations.inVisit': channel({
    summary:
      'Every value of one vital sign (or of each) in a visit (without a visit: the last day), newest first, each with all its versions, entered in error included',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z
      .object({
        patientId: z.string().uuid(),
        /** Absent: every kind, so the intake loads its cards' histories at once. */
        kind: observationKindSchema.optional(),
        encounterId: z.string().uuid().optional(),
      })
      .strict(),
    response: z.array(z.object({ seriesId: z.string(), versions: z.array(observationSchema).min(1) })),
  }),
} as const;

export const observationEvents = {
  'observations.recorded': event({
    access: ['nurse', 'clinician'],
    summary: 'A vital sign was recorded or corrected, so every open view of the patient updates',
    payload: z.object({ patientId: z.string(), observation: observationSchema }),
  }),
} as const;
