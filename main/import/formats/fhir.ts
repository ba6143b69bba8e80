/**
 * FHIR R4 Observations from a monitoring platform or a patient app: a Bundle (JSON) or NDJSON (one
 * Observation a line, as FHIR bulk export writes). Each Observation is checked with zod; vital-sign LOINC
 * codes map to measures, the blood-pressure panel (85354-9) to its systolic/diastolic components, UCUM
 * units to canonical ones. Identity: the Observation's identifier, else the entry's fullUrl, else its id.
 */
import { z } from 'zod';
import type { HomeMeasure, HomeRecord } from '../../../shared/home-data/record';
import type { HomeImportEvent, HomeImportInput } from './events';
import { guarded } from './guard';
import { contentId } from './identity';
import { parseJson, readJsonDocument } from './json-source';
import { conversionFor, PLAUSIBLE } from './measure-units';
import { ProblemLog } from './problems';
import { readLines, SourceError } from './source-file';
import { zonedTimeProblem, zonedTimeToIso } from './zoned-time';

const LOINC = 'http://loinc.org';

export const LOINC_MEASURES: Readonly<Record<string, HomeMeasure>> = {
  '8867-4': 'heartRate',
  '40443-4': 'restingHeartRate',
  '59408-5': 'spo2',
  '2708-6': 'spo2',
  '9279-1': 'respiratoryRate',
  '8310-5': 'bodyTemperature',
  '8331-1': 'bodyTemperature',
  '29463-7': 'bodyWeight',
  '3141-9': 'bodyWeight',
  '8302-2': 'bodyHeight',
  '85354-9': 'bloodPressure',
  '2339-0': 'glucose',
  '2345-7': 'glucose',
  '41653-7': 'glucose',
  '15074-8': 'glucose',
  '14743-9': 'glucose',
  '14749-6': 'glucose',
  '99504-3': 'glucose',
  '55423-8': 'steps',
  '41950-7': 'steps',
  '93832-4': 'sleep',
};
const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

const codingSchema = z.object({ system: z.string().optional(), code: z.string().optional() });
const conceptSchema = z.object({ coding: z.array(codingSchema).optional(), text: z.string().optional() });
const quantitySchema = z.object({
  value: z.number().finite(),
  unit: z.string().optional(),
  system: z.string().optional(),
  code: z.string().optional(),
});

export const fhirObservationSchema = z.object({
  resourceType: z.literal('Observation'),
  id: z.string().max(256).optional(),
  identifier: z.array(z.object({ system: z.string().optional(), value: z.string().optional() })).optional(),
  status: z.string(),
  code: conceptSchema,
  effectiveDateTime: z.string().optional(),
  effectiveInstant: z.string().optional(),
  effectivePeriod: z.object({ start: z.string().optional(), end: z.string().optional() }).optional(),
  valueQuantity: quantitySchema.optional(),
  component: z.array(z.object({ code: conceptSchema, valueQuantity: quantitySchema.optional() })).optional(),
  device: z.object({ display: z.string().optional(), reference: z.string().optional() }).optional(),
  meta: z.object({ source: z.string().optional() }).optional(),
});
type FhirObservation = z.infer<typeof fhirObservationSchema>;

const bundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  entry: z.array(z.object({ fullUrl: z.string().optional(), resource: z.unknown() })).optional(),
});

const loincOf = (concept: z.infer<typeof conceptSchema>): string[] =>
  (concept.coding ?? []).filter((c) => c.system === LOINC && c.code).map((c) => c.code ?? '');

/** The UCUM code when the quantity says it is UCUM, else its display unit. */
const unitOf = (q: z.infer<typeof quantitySchema>): string => q.code ?? q.unit ?? '';

type Result = { record: HomeRecord } | { problem: string; severity?: 'error' | 'warning' } | undefined;

function convert(measure: HomeMeasure, q: z.infer<typeof quantitySchema>): number | string {
  const unit = unitOf(q);
  const to = conversionFor(measure, unit);
  if (!to) return `the unit "${unit}" is not one this app knows for this measure`;
  const value = to(q.value);
  const [low, high] = PLAUSIBLE[measure];
  if (value < low || value > high) return `the value ${q.value} ${unit} is not plausible`;
  return value;
}

export function observationToRecord(resource: unknown, fullUrl: string | undefined, source: string): Result {
  if (
    typeof resource === 'object' &&
    resource !== null &&
    (resource as { resourceType?: unknown }).resourceType !== 'Observation'
  ) {
    return undefined;
  }
  const parsed = fhirObservationSchema.safeParse(resource);
  if (!parsed.success)
    return {
      problem: `an Observation that is not valid FHIR (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`,
    };
  const o: FhirObservation = parsed.data;
  if (['entered-in-error', 'cancelled'].includes(o.status))
    return { problem: `an Observation marked ${o.status}; skipped`, severity: 'warning' };
  const measure = loincOf(o.code)
    // Own keys only: a code such as "constructor" or "__proto__" must not find Object's own members.
    .map((c) => (Object.hasOwn(LOINC_MEASURES, c) ? LOINC_MEASURES[c] : undefined))
    .find(Boolean);
  if (!measure)
    return {
      problem: `an Observation whose code (${loincOf(o.code).join(', ') || o.code.text || 'none'}) is not a vital sign this app imports`,
      severity: 'warning',
    };
  const startText = o.effectiveDateTime ?? o.effectiveInstant ?? o.effectivePeriod?.start;
  const start = zonedTimeToIso(startText);
  if ('fault' in start) {
    return { problem: zonedTimeProblem('an Observation', startText, start.fault, 'a time of day and zone') };
  }
  const effectiveStart = start.iso;
  const end = o.effectivePeriod?.end === undefined ? undefined : zonedTimeToIso(o.effectivePeriod.end);
  const effectiveEnd = end && 'iso' in end ? end.iso : undefined;
  let value: number | string;
  let diastolic: number | string | undefined;
  if (measure === 'bloodPressure') {
    const component = (code: string) =>
      o.component?.find((c) => loincOf(c.code).includes(code))?.valueQuantity;
    const sys = component(SYSTOLIC);
    const dia = component(DIASTOLIC);
    if (!sys || !dia)
      return { problem: 'a blood pressure panel without both systolic and diastolic components' };
    value = convert(measure, sys);
    diastolic = convert(measure, dia);
  } else {
    if (!o.valueQuantity) return { problem: 'an Observation without a quantity' };
    value = convert(measure, o.valueQuantity);
  }
  if (typeof value === 'string') return { problem: value };
  if (typeof diastolic === 'string') return { problem: diastolic };
  const identifier = o.identifier?.find((i) => i.value);
  const identity = identifier
    ? `${identifier.system ?? ''}|${identifier.value ?? ''}`
    : (fullUrl ?? (o.id ? `Observation/${o.id}` : undefined));
  return {
    record: {
      sourceRecordId: identity
        ? `fhir:${identity}`.slice(0, 512)
        : contentId('fhir', [measure, effectiveStart, value, diastolic]),
      measure,
      effectiveStart,
      ...(effectiveEnd && effectiveEnd !== effectiveStart ? { effectiveEnd } : {}),
      value,
      ...(diastolic !== undefined ? { diastolic } : {}),
      sourceName: (o.meta?.source ?? source).slice(0, 256),
      ...(o.device?.display ? { device: o.device.display.slice(0, 512) } : {}),
    },
  };
}

function* eventsOf(
  result: Result,
  at: number,
  problems: ProblemLog,
  label: string,
): Generator<HomeImportEvent> {
  if (!result) return;
  if ('record' in result) {
    yield { type: 'record', record: result.record };
    return;
  }
  const severity = result.severity ?? 'error';
  const event = problems.report(
    severity === 'warning' ? 'Observations skipped' : 'Observations not imported',
    {
      severity,
      at,
      message: `${label} ${at}: ${result.problem}.`,
    },
  );
  if (event) yield event;
}

async function* readBundle(input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
  const { value, bytes } = await readJsonDocument(input);
  const bundle = bundleSchema.safeParse(value);
  if (!bundle.success) throw new SourceError('This JSON is not a FHIR Bundle.');
  const problems = new ProblemLog();
  const entries = bundle.data.entry ?? [];
  for (const [i, entry] of entries.entries()) {
    yield* eventsOf(observationToRecord(entry.resource, entry.fullUrl, 'FHIR'), i + 1, problems, 'Entry');
  }
  yield* problems.summaries();
  yield { type: 'progress', bytesRead: bytes, bytesTotal: bytes };
}

async function* readNdjson(input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
  const problems = new ProblemLog();
  for await (const item of readLines(input)) {
    if (item.kind === 'progress') {
      yield item.event;
      continue;
    }
    if (item.text.trim() === '') continue;
    const parsed = parseJson(item.text, item.line);
    if ('error' in parsed) {
      const event = problems.report('Lines not imported', {
        severity: 'error',
        at: item.line,
        message: `Line ${item.line}: ${parsed.error}.`,
      });
      if (event) yield event;
      continue;
    }
    yield* eventsOf(observationToRecord(parsed.value, undefined, 'FHIR'), item.line, problems, 'Line');
  }
  yield* problems.summaries();
}

export const readFhirBundle = guarded(readBundle);
export const readFhirNdjson = guarded(readNdjson);
