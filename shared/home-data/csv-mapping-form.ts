/**
 * The column-mapping form for "any other CSV": what each column is, a first guess from the header and
 * the sample rows, and the checks that turn the nurse's choices into a CsvColumnMapping (or say what is
 * missing). Pure: the renderer shows it, the tests run it.
 */
import { csvColumnMappingSchema, type CsvColumnMapping, type CsvTimeFormat } from './csv-mapping';
import type { HomeMeasure } from './record';

export const CSV_COLUMN_ROLES = [
  'ignore',
  'time',
  'value',
  'diastolic',
  'unit',
  'measure',
  'recordId',
  'device',
] as const;
export type CsvColumnRole = (typeof CSV_COLUMN_ROLES)[number];

export const CSV_COLUMN_ROLE_LABELS: Readonly<Record<CsvColumnRole, string>> = {
  ignore: 'Ignore',
  time: 'Date and time',
  value: 'Measured value',
  diastolic: 'Second value (diastolic)',
  unit: 'Unit',
  measure: 'What was measured',
  recordId: 'Record id',
  device: 'Device',
};

export const CSV_TIME_FORMAT_LABELS: Readonly<Record<CsvTimeFormat, string>> = {
  iso: '2026-03-01 08:15 (year first)',
  dmy: '01/03/2026 08:15 (day first)',
  mdy: '03/01/2026 08:15 (month first)',
  'epoch-s': 'Seconds since 1970',
  'epoch-ms': 'Milliseconds since 1970',
};

/** What the nurse has chosen so far (any of it may be missing). */
export interface CsvMappingDraft {
  /** One role per header column. */
  roles: CsvColumnRole[];
  timeFormat: CsvTimeFormat;
  /** Absent: the workstation's time zone. */
  utcOffsetMinutes?: number;
  /** Every row's measure, when no column names it. */
  measure?: HomeMeasure;
  /** Every value's unit, when no column holds it. */
  unit?: string;
  /** What the words of the measure column mean. */
  measureValues: Record<string, HomeMeasure>;
}

export interface CsvLayout {
  delimiter: ',' | ';' | '\t';
  header: string[];
  layoutKey: string;
  sampleRows: string[][];
}

const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}/;
const NUMERIC = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})[ T]+\d{1,2}:\d{2}/;

/** The time formats every sample fits; both day-first and month-first means the nurse must say which. */
export function timeFormatsFitting(samples: readonly string[]): CsvTimeFormat[] {
  const values = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (values.length === 0) return [];
  const fits = (test: (v: string) => boolean) => values.every(test);
  const out: CsvTimeFormat[] = [];
  if (fits((v) => ISO.test(v))) out.push('iso');
  const numeric = (v: string, order: 'dmy' | 'mdy') => {
    const m = NUMERIC.exec(v);
    if (!m) return false;
    const [day, month] = order === 'dmy' ? [Number(m[1]), Number(m[2])] : [Number(m[2]), Number(m[1])];
    return day >= 1 && day <= 31 && month >= 1 && month <= 12;
  };
  if (fits((v) => numeric(v, 'dmy'))) out.push('dmy');
  if (fits((v) => numeric(v, 'mdy'))) out.push('mdy');
  if (fits((v) => /^\d{9,10}(\.\d+)?$/.test(v))) out.push('epoch-s');
  if (fits((v) => /^\d{12,13}$/.test(v))) out.push('epoch-ms');
  return out;
}

// English, and the words of the clinic's neighbours' spreadsheets (German, French, Spanish).
const GUESSES: readonly [RegExp, CsvColumnRole][] = [
  [/\b(date|time|timestamp|datetime|when|taken|datum|zeit|heure|fecha)\b/i, 'time'],
  [/\b(dia|diastolic|diastolisch|diastolique)\b/i, 'diastolic'],
  [/\b(units?|einheit|unidad)\b|unit\u00e9/i, 'unit'],
  [/\b(type|measure|measurement|metric|kind|parameter|messung|mesure|medida)\b/i, 'measure'],
  [/^(id|record ?id|uuid|row ?id|nr|no\.?)$/i, 'recordId'],
  [/\b(device|meter|source)\b|ger\u00e4t|appareil/i, 'device'],
  [
    /\b(value|reading|result|sys|systolic|pulse|bpm|weight|glucose|spo2|temperature|wert|valeur|valor)\b/i,
    'value',
  ],
];

/** A first guess from the header names and the samples: the nurse checks and corrects it. */
export function proposeCsvMappingDraft(layout: CsvLayout): CsvMappingDraft {
  const taken = new Set<CsvColumnRole>();
  const roles = layout.header.map((name): CsvColumnRole => {
    const words = name.replace(/[_-]+/g, ' ');
    const role = GUESSES.find(([re, r]) => !taken.has(r) && re.test(words))?.[1] ?? 'ignore';
    if (role !== 'ignore') taken.add(role);
    return role;
  });
  const timeColumn = roles.indexOf('time');
  const fitting =
    timeColumn === -1 ? [] : timeFormatsFitting(layout.sampleRows.map((r) => r[timeColumn] ?? ''));
  return { roles, timeFormat: fitting[0] ?? 'iso', measureValues: {} };
}

/** The draft of a mapping confirmed before (Change), so the form starts where the nurse left it. */
export function draftFromMapping(mapping: CsvColumnMapping, columnCount: number): CsvMappingDraft {
  const roles: CsvColumnRole[] = Array.from({ length: columnCount }, () => 'ignore');
  for (const [role, index] of Object.entries(mapping.columns) as [CsvColumnRole, number | undefined][]) {
    if (index !== undefined && index < columnCount) roles[index] = role;
  }
  return {
    roles,
    timeFormat: mapping.timeFormat,
    ...(mapping.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: mapping.utcOffsetMinutes } : {}),
    ...(mapping.measure ? { measure: mapping.measure } : {}),
    ...(mapping.unit ? { unit: mapping.unit } : {}),
    measureValues: { ...(mapping.measureValues ?? {}) },
  };
}

/** The distinct words of the measure column in the samples (the nurse says what each means). */
export function measureWords(draft: CsvMappingDraft, layout: CsvLayout): string[] {
  const column = draft.roles.indexOf('measure');
  if (column === -1) return [];
  const words = layout.sampleRows.map((r) => (r[column] ?? '').trim()).filter((w) => w !== '');
  return [...new Set(words)];
}

export type DraftCheck = { ok: true; mapping: CsvColumnMapping } | { ok: false; issues: string[] };

/**
 * The nurse's choices as a mapping, or every reason they are not one yet. `units` lists the units this
 * app knows per measure (from main), so an unknown fixed unit is named here, before any row is read.
 */
export function checkCsvMappingDraft(
  draft: CsvMappingDraft,
  layout: CsvLayout,
  units: Readonly<Record<string, readonly string[]>>,
): DraftCheck {
  const issues: string[] = [];
  const columns: Partial<Record<CsvColumnRole, number>> = {};
  draft.roles.forEach((role, index) => {
    if (role === 'ignore') return;
    if (columns[role] !== undefined) {
      const label = CSV_COLUMN_ROLE_LABELS[role].toLowerCase();
      if (!issues.some((i) => i.includes(`“${label}”`))) issues.push(`Only one column can be “${label}”.`);
      return;
    }
    columns[role] = index;
  });
  if (columns.time === undefined) issues.push('Choose the column with the date and time.');
  if (columns.value === undefined) issues.push('Choose the column with the measured value.');
  if (columns.measure === undefined && !draft.measure)
    issues.push('Choose what was measured, or the column that says it.');
  if (columns.unit === undefined && !draft.unit?.trim())
    issues.push('Choose the unit of the values, or the column that holds it.');
  if (columns.unit === undefined && draft.measure && draft.unit?.trim()) {
    const known = units[draft.measure] ?? [];
    if (!known.includes(draft.unit.trim()))
      issues.push(
        `The unit “${draft.unit.trim()}” is not one this app knows for this measure: use ${known.join(', ')}.`,
      );
  }
  if (columns.time !== undefined && layout.sampleRows.length > 0) {
    const fitting = timeFormatsFitting(layout.sampleRows.map((r) => r[columns.time!] ?? ''));
    if (!fitting.includes(draft.timeFormat))
      issues.push(
        fitting.length > 0
          ? `The dates are not written as ${CSV_TIME_FORMAT_LABELS[draft.timeFormat]}: choose the date format.`
          : 'The date and time column holds no date this app can read.',
      );
  }
  if (columns.measure !== undefined) {
    const unmapped = measureWords(draft, layout).filter((w) => !draft.measureValues[w]);
    if (unmapped.length > 0) issues.push(`Say what “${unmapped[0]}” in the measure column means.`);
  }
  if (issues.length > 0) return { ok: false, issues };
  const measureColumn = columns.measure;
  const parsed = csvColumnMappingSchema.safeParse({
    layoutKey: layout.layoutKey,
    delimiter: layout.delimiter,
    columns,
    timeFormat: draft.timeFormat,
    ...(draft.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: draft.utcOffsetMinutes } : {}),
    ...(measureColumn === undefined ? { measure: draft.measure } : {}),
    ...(measureColumn !== undefined && Object.keys(draft.measureValues).length > 0
      ? { measureValues: draft.measureValues }
      : {}),
    ...(columns.unit === undefined ? { unit: draft.unit?.trim() } : {}),
  });
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => i.message) };
  return { ok: true, mapping: parsed.data };
}
