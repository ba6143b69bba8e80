import { z } from 'zod';
import { channel } from '../contract';
import { encounterSchema, setVideoLinkSchema, startEncounterSchema } from '../../records/encounter';

export const encounterChannels = {
  'encounters.start': channel({
    summary: 'Start a telemedicine visit for a patient',
    audit: { action: 'C', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'write',
    request: startEncounterSchema,
    response: encounterSchema,
  }),
  'encounters.finish': channel({
    summary: 'Finish a visit in progress',
    audit: { action: 'U', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'write',
    request: z.object({ encounterId: z.string().uuid() }).strict(),
    response: encounterSchema,
  }),
  'encounters.setVideoLink': channel({
    summary:
      "Add or change the video link of a visit in progress (https, and the policy's hosts when listed)",
    audit: { action: 'U', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'write',
    request: setVideoLinkSchema,
    response: encounterSchema,
  }),
  'encounters.current': channel({
    summary: "The patient's visit in progress, if any",
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z.object({ patientId: z.string().uuid() }).strict(),
    response: encounterSchema.nullable(),
  }),
} as const;
