/** A patient as main stores it and the renderer shows it. Shared: no Node, no Electron. */
import { z } from 'zod';
import { correctionReasonSchema } from './observation';
import { safeText } from './safe-text';

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

/** The oldest a living patient is taken to be: an older birth date is a typing slip. */
export const MAX_AGE_YEARS = 130;

/** A birth date that exists, is not in the future and is at most 130 years ago (by today's date). */
export const birthDateSchema = isoDateSchema.superRefine((value, ctx) => {
  const today = new Date().toISOString().slice(0, 10);
  const oldest = `${String(Number(today.slice(0, 4)) - MAX_AGE_YEARS).padStart(4, '0')}${today.slice(4)}`;
  if (value > today) ctx.addIssue({ code: 'custom', message: 'A birth date cannot be in the future.' });
  else if (value < oldest)
    ctx.addIssue({
      code: 'custom',
      message: `A birth date more than ${MAX_AGE_YEARS} years ago is not possible: check the year.`,
    });
});

const nameSchema = safeText(z.string().trim().min(1, 'Enter a name.').max(100, 'At most 100 characters.'));
const phoneSchema = safeText(z.string().trim().max(40, 'At most 40 characters.'));
const emailSchema = z.string().trim().email('This is not an email address.').max(200);

export const newPatientSchema = z
  .object({
    mrn: mrnSchema,
    family: nameSchema,
    given: nameSchema,
    birthDate: birthDateSchema,
    sex: sexSchema,
    phone: phoneSchema.optional(),
    email: emailSchema.optional(),
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

/**
 * A patient as a list shows one (search results, recent patients): enough to pick the right person,
 * without the contact details, which only opening the patient (`patients.get`) gives.
 */
export const patientSummarySchema = patientSchema.omit({ phone: true, email: true });
export type PatientSummary = z.infer<typeof patientSummarySchema>;

export const patientSearchSchema = z
  .object({
    /** MRN prefix, part of a name, or a birth date YYYY-MM-DD. */
    query: z.string().trim().min(1).max(100),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict();
export type PatientSearch = z.input<typeof patientSearchSchema>;

/** What a correction may change. The MRN is the patient's identity across systems: not correctable here. */
export const correctablePatientFields = ['family', 'given', 'birthDate', 'sex', 'phone', 'email'] as const;
export type CorrectablePatientField = (typeof correctablePatientFields)[number];

/** An empty phone or email clears it. */
const clearableSchema = (inner: z.ZodType<string, string>) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? null : v))
    .pipe(inner.nullable())
    .nullable();

export const patientCorrectionSchema = z
  .object({
    patientId: z.string().uuid(),
    /** The record's updatedAt when the form was opened: a correction made meanwhile is not overwritten. */
    expectedUpdatedAt: z.string().min(1),
    changes: z
      .object({
        family: nameSchema.optional(),
        given: nameSchema.optional(),
        birthDate: birthDateSchema.optional(),
        sex: sexSchema.optional(),
        phone: clearableSchema(phoneSchema).optional(),
        email: clearableSchema(emailSchema).optional(),
      })
      .strict(),
    reason: correctionReasonSchema,
  })
  .strict();
export type PatientCorrection = z.input<typeof patientCorrectionSchema>;

/** One correction of a patient's details: who, when, why, and the values it replaced. */
export const patientCorrectionRecordSchema = z.object({
  id: z.string(),
  correctedAt: z.string(),
  correctedBy: z.object({ id: z.string(), displayName: z.string() }),
  reason: z.string(),
  previous: z.object({
    family: z.string().optional(),
    given: z.string().optional(),
    birthDate: z.string().optional(),
    sex: sexSchema.optional(),
    phone: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
  }),
});
export type PatientCorrectionRecord = z.infer<typeof patientCorrectionRecordSchema>;
