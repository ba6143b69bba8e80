/**
 * The clinician's review of a visit: an append-only "Reviewed" sign-off with an optional comment,
 * and the visits in progress a clinician can open. Clinicians only.
 */
import { z } from 'zod';
import { channel } from '../contract';
import { roleSchema } from '../contract';
import { encounterSchema } from '../../records/encounter';
import { patientSchema } from '../../records/patient';
import { observationSchema } from '../../records/observation';
import { BP_GUIDELINES } from '../../clinical/guidelines/blood-pressure';

export const reviewCommentSchema = z.string().trim().max(1000, 'Keep the comment under 1000 characters.');

/** One sign-off, as stored: who (id, name and role at the time), when, and what they wrote. */
export const reviewSchema = z.object({
  id: z.string(),
  encounterId: z.string(),
  patientId: z.string(),
  signedBy: z.string(),
  signedByName: z.string(),
  signedByRole: roleSchema,
  signedAt: z.string(),
  comment: z.string().nullable(),
});
export type Review = z.infer<typeof reviewSchema>;

export const visitInProgressSchema = z.object({
  encounter: encounterSchema,
  patient: patientSchema,
  /** When the visit was last signed off as reviewed; null: not yet. */
  lastReviewedAt: z.string().nullable(),
});
export type VisitInProgress = z.infer<typeof visitInProgressSchema>;

/** What the review judges by, from IT's policy: the blood-pressure guideline and the video hosts. */
export const reviewRulesSchema = z.object({
  bpGuideline: z.enum(BP_GUIDELINES),
  /** `'none'`: IT's list could not be read, so no video link is opened. */
  videoLinkHosts: z.union([z.array(z.string()), z.literal('none')]),
});
export type ReviewRules = z.infer<typeof reviewRulesSchema>;

export const reviewChannels = {
  'reviews.signOff': channel({
    summary: "Sign off a visit's vitals as reviewed, with an optional comment (kept, never changed)",
    audit: { action: 'C', event: 'rest' },
    access: ['clinician'],
    phi: 'write',
    request: z.object({ encounterId: z.string().uuid(), comment: reviewCommentSchema.optional() }).strict(),
    response: reviewSchema,
  }),
  'reviews.list': channel({
    summary: 'Every review sign-off of a visit, oldest first',
    audit: { action: 'R', event: 'rest' },
    access: ['clinician'],
    phi: 'read',
    request: z.object({ encounterId: z.string().uuid() }).strict(),
    response: z.array(reviewSchema),
  }),
  'reviews.visitsInProgress': channel({
    summary: 'The visits in progress at this workstation, with their patients, for the clinician to open',
    audit: { action: 'R', event: 'rest' },
    access: ['clinician'],
    phi: 'read',
    request: z.object({}).strict(),
    response: z.array(visitInProgressSchema),
  }),
  'reviews.withdrawn': channel({
    summary: 'A patient\'s values withdrawn as entered in error, for the trends\' "Show all"',
    audit: { action: 'R', event: 'rest' },
    access: ['clinician'],
    phi: 'read',
    request: z.object({ patientId: z.string().uuid() }).strict(),
    response: z.array(observationSchema),
  }),
  'reviews.rules': channel({
    summary:
      "The clinic's blood-pressure guideline and video hosts (IT's policy), for the flags and the link",
    audit: { action: 'R', event: 'application-activity' },
    access: ['clinician', 'nurse'],
    phi: 'none',
    request: z.object({}).strict(),
    response: reviewRulesSchema,
  }),
  'visits.openVideoLink': channel({
    summary: "Open the visit's video link in the system browser, after main checks it (https, policy hosts)",
    audit: { action: 'R', event: 'rest' },
    access: ['clinician', 'nurse'],
    phi: 'read',
    request: z.object({ encounterId: z.string().uuid() }).strict(),
    response: z.object({ host: z.string() }),
  }),
  'reviews.printSummary': channel({
    summary:
      'Save the visit summary shown in the calling window as a PDF, with page numbers and who printed it',
    audit: { action: 'R', event: 'export' },
    access: ['clinician'],
    phi: 'read',
    request: z.object({ patientId: z.string().uuid(), encounterId: z.string().uuid().optional() }).strict(),
    /** Where the PDF was written; null when the user cancelled the save dialog. */
    response: z.object({ savedTo: z.string().nullable(), pages: z.number().int().nonnegative() }),
  }),
} as const;
