import { z } from 'zod';
import { channel, event } from '../contract';
import {
  newPatientSchema,
  patientCorrectionRecordSchema,
  patientCorrectionSchema,
  patientSchema,
  patientSearchSchema,
  patientSummarySchema,
} from '../../records/patient';

export const patientChannels = {
  'patients.search': channel({
    summary: 'Find patients by MRN, name or birth date',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: patientSearchSchema,
    response: z.array(patientSummarySchema),
  }),
  'patients.register': channel({
    summary: 'Register a new patient',
    audit: { action: 'C', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'write',
    request: newPatientSchema,
    response: patientSchema,
  }),
  'patients.recent': channel({
    summary: 'Patients seen most recently at this workstation',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(),
    response: z.array(patientSummarySchema),
  }),
  'patients.get': channel({
    summary: 'One patient by id',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z.object({ patientId: z.string().uuid() }).strict(),
    response: patientSchema,
  }),
  'patients.correct': channel({
    summary: 'Correct a patient’s details (not the MRN), with a reason; the replaced values are kept',
    audit: { action: 'U', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'write',
    request: patientCorrectionSchema,
    response: patientSchema,
  }),
  'patients.likelyDuplicates': channel({
    summary:
      'Patients already registered who may be the one about to be registered: same name and birth date, or same phone',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z
      .object({
        family: z.string().max(200),
        given: z.string().max(200),
        birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        phone: z.string().max(40).optional(),
      })
      .strict(),
    response: z.array(
      patientSummarySchema.extend({ matchedBy: z.array(z.enum(['name-and-birth-date', 'phone'])).min(1) }),
    ),
  }),
  'patients.corrections': channel({
    summary: 'Every correction of a patient’s details: who, when, why and the values replaced',
    audit: { action: 'R', event: 'rest' },
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z.object({ patientId: z.string().uuid() }).strict(),
    response: z.array(patientCorrectionRecordSchema),
  }),
} as const;

export const patientEvents = {
  'patients.corrected': event({
    access: ['nurse', 'clinician'],
    summary: 'A patient’s details were corrected, so every open view of the patient shows the new ones',
    payload: z.object({ patient: patientSchema }),
  }),
} as const;
