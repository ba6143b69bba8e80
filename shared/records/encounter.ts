/** A telemedicine visit. */
import { z } from 'zod';

export const encounterStatusSchema = z.enum(['planned', 'in-progress', 'finished', 'cancelled']);
export type EncounterStatus = z.infer<typeof encounterStatusSchema>;

export const startEncounterSchema = z
  .object({
    patientId: z.string().uuid(),
    /** The visit's id in the telemedicine platform. */
    externalVisitId: z.string().trim().min(1).max(200).optional(),
    joinUrl: z.string().url().max(2000).optional(),
    reason: z.string().trim().max(500).optional(),
    location: z.string().trim().max(200).optional(),
  })
  .strict();
export type StartEncounter = z.infer<typeof startEncounterSchema>;

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
