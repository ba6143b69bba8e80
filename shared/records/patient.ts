/** A patient as main stores it and the renderer shows it. Shared: no Node, no Electron. */
import { z } from 'zod';

export const sexSchema = z.enum(['female', 'male', 'other', 'unknown']);
export type Sex = z.infer<typeof sexSchema>;

/** Calendar date YYYY-MM-DD that exists (no 2023-02-30). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the form YYYY-MM-DD.')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'This date does not exist.');

/** Medical record number: letters, digits and dashes, as the clinic's EHR issues them. */
export const mrnSchema = z
  .string()
  .trim()
  .min(1, 'Enter the medical record number.')
  .max(32, 'A medical record number has at most 32 characters.')
  .regex(/^[A-Za-z0-9-]+$/, 'A medical record number has only letters, digits and dashes.');

const nameSchema = z.string().trim().min(1, 'Enter a name.').max(100, 'At most 100 characters.');

export const newPatientSchema = z
  .object({
    mrn: mrnSchema,
    family: nameSchema,
    given: nameSchema,
    birthDate: isoDateSchema,
    sex: sexSchema,
    phone: z.string().trim().max(40).optional(),
    email: z.string().trim().email('This is not an email address.').max(200).optional(),
  })
  .strict();
export type NewPatient = z.infer<typeof newPatientSchema>;

export const patientSchema = z.object({
  id: z.string(),
  mrn: z.string(),
  family: z.string(),
  given: z.string(),
  birthDate: z.string(),
  sex: sexSchema,
  phone: z.string().nullable(),
  email: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Patient = z.infer<typeof patientSchema>;

export const patientSearchSchema = z
  .object({
    /** MRN prefix, part of a name, or a birth date YYYY-MM-DD. */
    query: z.string().trim().min(1).max(100),
    limit: z.number().int().min(1).max(100).default(25),
  })
  .strict();
export type PatientSearch = z.input<typeof patientSearchSchema>;
