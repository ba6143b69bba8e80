import { z } from 'zod';
import { channel } from '../contract';
import { newPatientSchema, patientSchema, patientSearchSchema } from '../../records/patient';

export const patientChannels = {
  'patients.search': channel({
    summary: 'Find patients by MRN, name or birth date',
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: patientSearchSchema,
    response: z.array(patientSchema),
  }),
  'patients.register': channel({
    summary: 'Register a new patient',
    access: ['nurse', 'clinician'],
    phi: 'write',
    request: newPatientSchema,
    response: patientSchema,
  }),
  'patients.recent': channel({
    summary: 'Patients seen most recently at this workstation',
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(),
    response: z.array(patientSchema),
  }),
  'patients.get': channel({
    summary: 'One patient by id',
    access: ['nurse', 'clinician'],
    phi: 'read',
    request: z.object({ patientId: z.string().uuid() }).strict(),
    response: patientSchema,
  }),
} as const;
