/**
 * Open mHealth data points (https://www.openmhealth.org/documentation/#/schema-docs/schema-library):
 * blood-pressure, heart-rate, body-weight, blood-glucose and oxygen-saturation, as a JSON array, one data
 * point, or one per line. Each point is checked with zod; identity is its header.id.
 */
import { z } from 'zod';
import type { HomeMeasure, HomeRecord } from '../../../shared/home-data/record';
import type { HomeImportEvent, HomeImportInput } from './events';
import { guarded } from './guard';
import { parseJson, readWholeText } from './json-source';
import { conversionFor, PLAUSIBLE } from './measure-units';
import { ProblemLog } from './problems';
import { SourceError } from './source-file';
import { zonedTimeProblem, zonedTimeToIso } from './zoned-time';

const unitValue = z.object({ value: z.number().finite(), unit: z.string() });
const timeFrame = z.object({
  date_time: z.string().optional(),
  time_interval: z
    .object({ start_date_time: z.string().optional(), end_date_time: z.string().optional() })
    .optional(),
});

export const omhDataPointSchema = z.object({
  header: z.object({
    id: z.string().min(1).max(256),
    schema_id: z.object({ namespace: z.string(), name: z.string(), version: z.string().optional() }),
    acquisition_provenance: z.object({ source_name: z.string().optional() }).optional(),
  }),
  body: z.record(z.string(), z.unknown()),
});

/** Which body field holds the value, per schema name. */
const SCHEMAS: Readonly<Record<string, { measure: HomeMeasure; field: string }>> = {
  'heart-rate': { measure: 'heartRate', field: 'heart_rate' },
  'body-weight': { measure: 'bodyWeight', field: 'body_weight' },
  'blood-glucose': { measure: 'glucose', field: 'blood_glucose' },
  'oxygen-saturation': { measure: 'spo2', field: 'oxygen_saturation' },
  'blood-pressure': { measure: 'bloodPressure', field: 'systolic_blood_pressure' },
};

function value(measure: HomeMeasure, raw: unknown): number | string {
  const parsed = unitValue.safeParse(raw);
  if (!parsed.success) return 'a value without a number and unit';
  const to = conversionFor(measure, parsed.data.unit);
  if (!to) return `the unit "${parsed.data.unit}" is not one this app knows for this measure`;
  const converted = to(parsed.data.value);
  const [low, high] = PLAUSIBLE[measure];
  if (converted < low || converted > high)
    return `the value ${parsed.data.value} ${parsed.data.unit} is not plausible`;
  return converted;
}

export function dataPointToRecord(point: unknown): { record: HomeRecord } | { problem: string } {
  const parsed = omhDataPointSchema.safeParse(point);
  if (!parsed.success)
    return {
      problem: `not an Open mHealth data point (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`,
    };
  const { header, body } = parsed.data;
  // Own keys only: a schema named "constructor" or "__proto__" is no schema here.
  const schema = Object.hasOwn(SCHEMAS, header.schema_id.name) ? SCHEMAS[header.schema_id.name] : undefined;
  if (header.schema_id.namespace !== 'omh' || !schema)
    return {
      problem: `the schema ${header.schema_id.namespace}:${header.schema_id.name} is not one this app imports`,
    };
  const frame = timeFrame.safeParse(body.effective_time_frame);
  const startText = frame.success
    ? (frame.data.date_time ?? frame.data.time_interval?.start_date_time)
    : undefined;
  const startTime = zonedTimeToIso(startText);
  if ('fault' in startTime) {
    return {
      problem: zonedTimeProblem('a data point', startText, startTime.fault, 'an effective time with a zone'),
    };
  }
  const start = startTime.iso;
  const endTime = frame.success ? zonedTimeToIso(frame.data.time_interval?.end_date_time) : undefined;
  const end = endTime && 'iso' in endTime ? endTime.iso : undefined;
  const main = value(schema.measure, body[schema.field]);
  if (typeof main === 'string') return { problem: main };
  let diastolic: number | undefined;
  if (schema.measure === 'bloodPressure') {
    const d = value('bloodPressure', body.diastolic_blood_pressure);
    if (typeof d === 'string') return { problem: `diastolic: ${d}` };
    diastolic = d;
  }
  return {
    record: {
      sourceRecordId: `omh:${header.id}`,
      measure: schema.measure,
      effectiveStart: start,
      ...(end && end !== start ? { effectiveEnd: end } : {}),
      value: main,
      ...(diastolic !== undefined ? { diastolic } : {}),
      sourceName: (header.acquisition_provenance?.source_name ?? 'Open mHealth').slice(0, 256),
    },
  };
}

/** A JSON array of data points, one data point, or one data point per line. */
function pointsOf(text: string): unknown[] {
  const whole = parseJson(text);
  if (!('error' in whole)) return Array.isArray(whole.value) ? whole.value : [whole.value];
  const lines = text.split(/\r?\n/);
  if (lines.filter((l) => l.trim()).length < 2)
    throw new SourceError(`Line ${whole.line}: ${whole.error}.`, whole.line);
  const points: unknown[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const parsed = parseJson(line, i + 1);
    if ('error' in parsed) throw new SourceError(`Line ${i + 1}: ${parsed.error}.`, i + 1);
    points.push(parsed.value);
  }
  return points;
}

async function* read(input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
  const { text, bytes } = await readWholeText(input);
  const points = pointsOf(text);
  const problems = new ProblemLog();
  for (const [i, point] of points.entries()) {
    const result = dataPointToRecord(point);
    if ('record' in result) {
      yield { type: 'record', record: result.record };
      continue;
    }
    const event = problems.report('Data points not imported', {
      severity: 'error',
      at: i + 1,
      message: `Data point ${i + 1}: ${result.problem}.`,
    });
    if (event) yield event;
  }
  yield* problems.summaries();
  yield { type: 'progress', bytesRead: bytes, bytesTotal: bytes };
}

export const readOpenMHealth = guarded(read);
