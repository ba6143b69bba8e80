/**
 * An observation (FHIR R4 Observation, vital-signs profile) as stored: append-only, every correction
 * a new version in the same series. Values are in the canonical UCUM unit of their kind (VITALS);
 * unit conversion happens at entry and display (shared/clinical/units.ts).
 */
import { z } from 'zod';
import { safeText } from './safe-text';
import { deviceProvenanceSchema } from '../devices/reading';
import {
  CONSCIOUSNESS,
  PANELS,
  VITALS,
  consciousnessLevelSchema,
  vitalKindSchema,
  type VitalKind,
} from '../clinical/vital-signs';

/**
 * What an observation measures: one vital (a quantity), the blood-pressure panel (components
 * systolic, diastolic, MAP), or consciousness (a code).
 */
export const observationKindSchema = z.enum([...vitalKindSchema.options, 'bloodPressure', 'consciousness']);
export type ObservationKind = z.infer<typeof observationKindSchema>;

export const observationStatusSchema = z.enum(['final', 'amended', 'entered-in-error']);
export type ObservationStatus = z.infer<typeof observationStatusSchema>;

export const observationMethodSchema = z.enum(['manual', 'device']);

/** LOINC code and canonical UCUM unit of each kind (null unit: coded or panel). */
export function codeOfKind(kind: ObservationKind): { code: string; unit: string | null; display: string } {
  if (kind === 'bloodPressure')
    return { code: PANELS.bloodPressure.loinc, unit: null, display: PANELS.bloodPressure.display };
  if (kind === 'consciousness')
    return { code: CONSCIOUSNESS.loinc, unit: null, display: CONSCIOUSNESS.display };
  const vital = VITALS[kind];
  return { code: vital.loinc, unit: vital.unit, display: vital.display };
}

/** Which component kinds each kind may carry (FHIR vital-signs: BP components; SpO2 with O2 flow 3151-8). */
export const ALLOWED_COMPONENTS: Partial<Record<ObservationKind, readonly VitalKind[]>> = {
  bloodPressure: ['systolic', 'diastolic', 'meanArterialPressure'],
  spo2: ['inhaledOxygenFlow'],
};

export const componentInputSchema = z.object({ kind: vitalKindSchema, value: z.number().finite() }).strict();

export const componentSchema = z.object({
  kind: vitalKindSchema,
  code: z.string(),
  value: z.number(),
  unit: z.string(),
});
export type ObservationComponent = z.infer<typeof componentSchema>;

/** The measured value: a number, a code (consciousness) or components (BP), per kind. */
export const observationValueSchema = z
  .object({
    value: z.number().finite().optional(),
    valueCode: consciousnessLevelSchema.optional(),
    components: z.array(componentInputSchema).max(4).optional(),
    /** Temperature site and similar, in words ("oral", "tympanic"). */
    bodySite: z.string().trim().min(1).max(50).optional(),
  })
  .strict();
export type ObservationValue = z.infer<typeof observationValueSchema>;

export const deviceNotesSchema = z.array(z.string().trim().min(1).max(200)).max(10);

export const newObservationSchema = observationValueSchema
  .extend({
    patientId: z.string().uuid(),
    encounterId: z.string().uuid().optional(),
    kind: observationKindSchema,
    /** When it was measured, ISO 8601 with offset. */
    effectiveAt: z.string().datetime({ offset: true }),
    method: observationMethodSchema,
    /** Required when method is `device`. */
    device: deviceProvenanceSchema.optional(),
    /** Device readings only: what the device said about this measurement ("Irregular pulse detected"). */
    deviceNotes: deviceNotesSchema.optional(),
  })
  .strict();
export type NewObservation = z.infer<typeof newObservationSchema>;

export const observationSchema = z.object({
  id: z.string(),
  /** The id of the first version: the same for every version of one measurement. */
  seriesId: z.string(),
  /** The version this one corrects; null for the first. */
  versionOf: z.string().nullable(),
  patientId: z.string(),
  encounterId: z.string().nullable(),
  code: z.string(),
  kind: observationKindSchema,
  value: z.number().nullable(),
  valueCode: consciousnessLevelSchema.nullable(),
  unit: z.string().nullable(),
  components: z.array(componentSchema),
  bodySite: z.string().nullable(),
  effectiveAt: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  /** Who recorded it, as staff read it ("Ana Ruiz"); absent for an account no longer on this workstation. */
  recordedByName: z.string().optional(),
  method: observationMethodSchema,
  device: deviceProvenanceSchema.nullable(),
  /** What the device said about the measurement; empty for values typed in. */
  deviceNotes: z.array(z.string()),
  status: observationStatusSchema,
  /** Why this version was made (amendment or entered-in-error). */
  reason: z.string().nullable(),
});
export type Observation = z.infer<typeof observationSchema>;

export const correctionReasonSchema = safeText(z.string().trim().min(3, 'Say briefly why.').max(500));

export const timeRangeSchema = z
  .object({
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict();
export type TimeRange = z.infer<typeof timeRangeSchema>;
