/**
 * FHIR in: an Observation from a server, checked with zod and mapped to the vitals Vitals Desk knows, in
 * canonical units. Anything we cannot map faithfully (a code we do not know, a unit that is not UCUM or not
 * convertible, a preliminary result, an implausible value) is refused with a FhirMappingError rather than
 * guessed at.
 */
import { z } from 'zod';
import { daysInMonth } from '../records/calendar';
import { checkPlausible } from '../clinical/plausibility';
import { isSupportedUnit, toCanonical } from '../clinical/units';
import {
  CONSCIOUSNESS,
  consciousnessLevelSchema,
  PANELS,
  vitalByLoinc,
  vitalKindSchema,
  type ConsciousnessLevel,
  type VitalKind,
} from '../clinical/vital-signs';
import { FhirMappingError } from './errors';
import { ACVPU_SYSTEM, IDENTIFIER_SYSTEMS, LOINC_SYSTEM, UCUM_SYSTEM } from './identifiers';

const codingSchema = z.object({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});
const conceptSchema = z.object({ coding: z.array(codingSchema).optional(), text: z.string().optional() });
const quantitySchema = z.object({
  value: z.number().finite(),
  unit: z.string().optional(),
  system: z.string().optional(),
  code: z.string().optional(),
});

/** The part of a FHIR R4 Observation we read. Unknown elements are ignored, not refused. */
export const fhirObservationInSchema = z.object({
  resourceType: z.literal('Observation'),
  id: z.string().optional(),
  meta: z.object({ versionId: z.string().optional(), lastUpdated: z.string().optional() }).optional(),
  identifier: z.array(z.object({ system: z.string().optional(), value: z.string().optional() })).optional(),
  status: z.string(),
  code: conceptSchema,
  subject: z.object({ reference: z.string().optional() }).optional(),
  effectiveDateTime: z.string().optional(),
  effectiveInstant: z.string().optional(),
  effectivePeriod: z.object({ start: z.string().optional(), end: z.string().optional() }).optional(),
  issued: z.string().optional(),
  valueQuantity: quantitySchema.optional(),
  valueCodeableConcept: conceptSchema.optional(),
  component: z.array(z.object({ code: conceptSchema, valueQuantity: quantitySchema.optional() })).optional(),
  bodySite: conceptSchema.optional(),
  device: z.object({ reference: z.string().optional(), display: z.string().optional() }).optional(),
  note: z.array(z.object({ text: z.string() })).optional(),
});

/** A FHIR instant (datatypes.html#instant): a full date and time with its zone, as the charts need. */
const INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;
const instantSchema = z
  .string()
  .regex(INSTANT)
  .refine((v) => {
    // The day must exist in its month (Date.parse would roll 30 February over into March).
    const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
    return d <= daysInMonth(y, m) && !Number.isNaN(Date.parse(v));
  });
/** A FHIR id (datatypes.html#id). */
const fhirIdSchema = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/);

export const remoteObservationStatusSchema = z.enum(['final', 'amended', 'entered-in-error']);

/** An observation as the review screen shows it, whichever system recorded it. */
export const remoteObservationSchema = z.object({
  /** Server id, e.g. "Observation/123". */
  remoteId: z
    .string()
    .regex(/^Observation\/[A-Za-z0-9\-.]{1,64}$/)
    .optional(),
  remoteVersion: fhirIdSchema.optional(),
  /** Set when Vitals Desk recorded it (our identifier). */
  seriesId: z.string().max(128).optional(),
  version: z.number().int().positive().optional(),
  status: remoteObservationStatusSchema,
  /** Empty only for a consciousness observation, which has `consciousness` instead. */
  values: z.array(z.object({ kind: vitalKindSchema, value: z.number().finite() })),
  consciousness: consciousnessLevelSchema.optional(),
  effectiveAt: instantSchema,
  issuedAt: instantSchema.optional(),
  subjectReference: z
    .string()
    .regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/)
    .optional(),
  bodySite: z.string().max(200).optional(),
});
export type RemoteObservation = z.infer<typeof remoteObservationSchema>;

const loincCodes = (concept: z.infer<typeof conceptSchema>): string[] =>
  (concept.coding ?? []).filter((c) => c.system === LOINC_SYSTEM && c.code).map((c) => c.code as string);

/** The vital a concept codes; 2708-6 (arterial O2 saturation) is read as SpO2, as the oxygensat profile does. */
function kindOf(concept: z.infer<typeof conceptSchema>): VitalKind | undefined {
  for (const code of loincCodes(concept)) {
    if (code === '2708-6') return 'spo2';
    const vital = vitalByLoinc.get(code);
    if (vital) return vital.kind;
  }
  return undefined;
}

function canonicalValue(
  kind: VitalKind,
  q: z.infer<typeof quantitySchema> | undefined,
  path: string,
): number {
  if (!q) throw new FhirMappingError('The observation has no numeric value.', path);
  if (q.system !== UCUM_SYSTEM || !q.code) {
    throw new FhirMappingError('The observation’s unit is not a UCUM unit.', path);
  }
  if (!isSupportedUnit(kind, q.code)) {
    throw new FhirMappingError('The observation’s unit cannot be converted for this vital.', path);
  }
  const value = toCanonical(kind, q.value, q.code);
  const plausible = checkPlausible(kind, value);
  if (!plausible.ok)
    throw new FhirMappingError('The observation’s value is outside the plausible range.', path);
  return value;
}

const STATUS: Readonly<Record<string, RemoteObservation['status']>> = {
  final: 'final',
  amended: 'amended',
  corrected: 'amended',
  'entered-in-error': 'entered-in-error',
};

export interface FromObservationOptions {
  /** The clinic's identifier system for measurements (default urn:vitals-desk:observation). */
  readonly observationSystem?: string | undefined;
}

export function fromFhirObservation(input: unknown, options: FromObservationOptions = {}): RemoteObservation {
  const parsed = fhirObservationInSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new FhirMappingError(
      'The server sent an observation Vitals Desk cannot read.',
      first?.path.join('.') ?? '',
    );
  }
  const obs = parsed.data;
  const status = STATUS[obs.status];
  if (!status)
    throw new FhirMappingError('Only final or corrected results are shown; this one is not final.', 'status');

  const values: { kind: VitalKind; value: number }[] = [];
  let consciousness: ConsciousnessLevel | undefined;
  if (loincCodes(obs.code).includes(CONSCIOUSNESS.loinc)) {
    // Only our own ACVPU coding is understood; another system's AVPU codes are not guessed at.
    const code = obs.valueCodeableConcept?.coding?.find((c) => c.system === ACVPU_SYSTEM)?.code;
    const level = consciousnessLevelSchema.safeParse(code);
    if (!level.success) {
      throw new FhirMappingError(
        'The consciousness level is not coded in a way Vitals Desk can read.',
        'valueCodeableConcept',
      );
    }
    consciousness = level.data;
  } else if (loincCodes(obs.code).includes(PANELS.bloodPressure.loinc)) {
    for (const [i, c] of (obs.component ?? []).entries()) {
      const kind = kindOf(c.code);
      if (kind === 'systolic' || kind === 'diastolic' || kind === 'meanArterialPressure') {
        values.push({ kind, value: canonicalValue(kind, c.valueQuantity, `component.${i}.valueQuantity`) });
      }
    }
    if (!values.some((v) => v.kind === 'systolic') || !values.some((v) => v.kind === 'diastolic')) {
      throw new FhirMappingError(
        'A blood pressure without both systolic and diastolic values cannot be shown.',
        'component',
      );
    }
  } else {
    const kind = kindOf(obs.code);
    if (!kind)
      throw new FhirMappingError('The observation’s code is not a vital sign Vitals Desk knows.', 'code');
    values.push({ kind, value: canonicalValue(kind, obs.valueQuantity, 'valueQuantity') });
    if (kind === 'spo2') {
      for (const [i, c] of (obs.component ?? []).entries()) {
        if (kindOf(c.code) === 'inhaledOxygenFlow') {
          values.push({
            kind: 'inhaledOxygenFlow',
            value: canonicalValue('inhaledOxygenFlow', c.valueQuantity, `component.${i}.valueQuantity`),
          });
        }
      }
    }
  }

  const effectiveAt = obs.effectiveDateTime ?? obs.effectiveInstant ?? obs.effectivePeriod?.start;
  if (!effectiveAt)
    throw new FhirMappingError('The observation does not say when it was measured.', 'effective[x]');

  const seriesSystem = options.observationSystem ?? IDENTIFIER_SYSTEMS.observation;
  const series = obs.identifier?.find((i) => i.system === seriesSystem)?.value;
  const versionText = obs.identifier?.find((i) => i.system === IDENTIFIER_SYSTEMS.observationVersion)?.value;
  const versionMatch = versionText && series ? /:v(\d+)$/.exec(versionText) : null;

  const checked = remoteObservationSchema.safeParse({
    ...(obs.id ? { remoteId: `Observation/${obs.id}` } : {}),
    ...(obs.meta?.versionId ? { remoteVersion: obs.meta.versionId } : {}),
    ...(series ? { seriesId: series } : {}),
    ...(versionMatch?.[1] ? { version: Number(versionMatch[1]) } : {}),
    status,
    values,
    ...(consciousness ? { consciousness } : {}),
    effectiveAt,
    ...(obs.issued ? { issuedAt: obs.issued } : {}),
    ...(obs.subject?.reference ? { subjectReference: obs.subject.reference } : {}),
    ...(obs.bodySite?.text ? { bodySite: obs.bodySite.text } : {}),
  });
  if (!checked.success) {
    // A field that is not what FHIR says it is (a date that is no date, an id with markup) is not stored.
    const first = checked.error.issues[0];
    throw new FhirMappingError(
      'The server sent an observation with a field Vitals Desk cannot accept.',
      first?.path.join('.') ?? '',
    );
  }
  return checked.data;
}

/** The same, as a result: for pulling many observations, where one bad one must not hide the rest. */
export function tryFromFhirObservation(
  input: unknown,
  options: FromObservationOptions = {},
): { ok: true; observation: RemoteObservation } | { ok: false; reason: string } {
  try {
    return { ok: true, observation: fromFhirObservation(input, options) };
  } catch (error) {
    if (error instanceof FhirMappingError) return { ok: false, reason: error.message };
    throw error;
  }
}
