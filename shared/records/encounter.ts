/** A telemedicine visit. */
import { z } from 'zod';
import { safeText } from './safe-text';

export const encounterStatusSchema = z.enum(['planned', 'in-progress', 'finished', 'cancelled']);
export type EncounterStatus = z.infer<typeof encounterStatusSchema>;

export const startEncounterSchema = z
  .object({
    patientId: z.string().uuid(),
    /** The visit's id in the telemedicine platform. */
    externalVisitId: safeText(z.string().trim().min(1).max(200)).optional(),
    joinUrl: z.string().url().max(2000).optional(),
    reason: safeText(z.string().trim().max(500)).optional(),
    location: safeText(z.string().trim().max(200)).optional(),
  })
  .strict();
export type StartEncounter = z.infer<typeof startEncounterSchema>;

/** Add or change a visit's video link once it has started (the platform may send it late). */
export const setVideoLinkSchema = z
  .object({
    encounterId: z.string().uuid(),
    joinUrl: z.string().trim().min(1, 'Paste the visit’s video link.').max(2000),
  })
  .strict();
export type SetVideoLink = z.infer<typeof setVideoLinkSchema>;

export const encounterSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  status: encounterStatusSchema,
  start: z.string(),
  end: z.string().nullable(),
  externalVisitId: z.string().nullable(),
  joinUrl: z.string().nullable(),
  reason: z.string().nullable(),
  location: z.string().nullable(),
  createdBy: z.string(),
  /** Who finished the visit; null while it is in progress (and for visits finished before this was kept). */
  finishedBy: z.string().nullable(),
});
export type Encounter = z.infer<typeof encounterSchema>;
