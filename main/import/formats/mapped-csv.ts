/**
 * "Any other CSV": read with the column mapping the nurse confirmed for its layout (csvLayoutKey of the
 * header row). A file whose header differs from the mapping's layout is refused rather than misread.
 */
import {
  csvColumnMappingSchema,
  csvLayoutKey,
  type CsvColumnMapping,
} from '../../../shared/home-data/csv-mapping';
import { homeMeasureSchema, type HomeMeasure, type HomeRecord } from '../../../shared/home-data/record';
import { parseDecimal } from './cgm-glucose';
import type { HomeImportEvent, HomeImportInput, HomeImportReader } from './events';
import { guarded } from './guard';
import { contentId } from './identity';
import { HOME_DATA_YEARS, parseIsoLocal, parseNumericDate, wallClockToIso } from './local-time';
import { conversionFor, PLAUSIBLE } from './measure-units';
import { ProblemLog } from './problems';
import { readCsvRows, readLines, SourceError } from './source-file';

/** What the mapping screen needs to propose a mapping: the header, its layout key and a few rows. */
export interface CsvLayoutPreview {
  delimiter: ',' | ';' | '\t';
  header: string[];
  layoutKey: string;
  sampleRows: string[][];
}

function guessDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts = ([',', ';', '\t'] as const).map((d) => [d, headerLine.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
}

/** The most columns a mapping can name (its column indexes stop there); a wider file is no such table. */
export const MAX_CSV_COLUMNS = 1000;
/** A cell shown on the mapping screen is cut to this: a line may be a megabyte long. */
export const MAX_SHOWN_CELL_CHARS = 200;

const shown = (cell: string): string =>
  cell.length > MAX_SHOWN_CELL_CHARS ? `${cell.slice(0, MAX_SHOWN_CELL_CHARS - 1)}…` : cell;

/** The first rows of a CSV, for the nurse to map its columns. */
export async function previewCsvLayout(input: HomeImportInput, rows = 5): Promise<CsvLayoutPreview> {
  let delimiter: ',' | ';' | '\t' | undefined;
  for await (const item of readLines(input)) {
    if (item.kind === 'line') {
      delimiter = guessDelimiter(item.text);
      break;
    }
  }
  if (!delimiter) throw new SourceError('The file is empty.');
  let header: string[] | undefined;
  const sampleRows: string[][] = [];
  for await (const item of readCsvRows(input, delimiter)) {
    if (item.kind !== 'row') continue;
    if (!header) header = item.cells.map((c) => c.trim());
    else sampleRows.push(item.cells);
    if (sampleRows.length >= rows) break;
  }
  if (header && header.length > MAX_CSV_COLUMNS) {
    throw new SourceError(
      `This CSV has ${header.length.toLocaleString('en')} columns, more than the ${MAX_CSV_COLUMNS.toLocaleString('en')} a table of measurements can be mapped with.`,
    );
  }
  // The key is of the whole header; the screen is shown its cells cut short.
  return {
    delimiter,
    header: (header ?? []).map(shown),
    layoutKey: csvLayoutKey(header ?? []),
    sampleRows: sampleRows.map((cells) => cells.slice(0, MAX_CSV_COLUMNS).map(shown)),
  };
}

/**
 * The instant as ISO 8601 UTC, or undefined when it is no date (13 digits of seconds lie past any date:
 * toISOString would throw) or in a year no home measurement has (0001, 9999), as for the other formats.
 */
function instantIso(ms: number): string | undefined {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  return year >= HOME_DATA_YEARS.first && year <= HOME_DATA_YEARS.last ? date.toISOString() : undefined;
}

function parseTime(text: string, mapping: CsvColumnMapping): string | undefined {
  const t = text.trim();
  switch (mapping.timeFormat) {
    case 'epoch-s':
    case 'epoch-ms': {
      if (!/^\d{9,13}(\.\d+)?$/.test(t)) return undefined;
      return instantIso(Number(t) * (mapping.timeFormat === 'epoch-s' ? 1000 : 1));
    }
    case 'iso': {
      if (/(Z|[+-]\d{2}:?\d{2})$/.test(t) && /^\d{4}-\d{2}-\d{2}T/.test(t)) {
        return instantIso(Date.parse(t));
      }
      const wall = parseIsoLocal(t);
      return wall && wallClockToIso(wall, mapping.utcOffsetMinutes);
    }
    case 'dmy':
    case 'mdy': {
      const wall = parseNumericDate(t, mapping.timeFormat);
      return wall && wallClockToIso(wall, mapping.utcOffsetMinutes);
    }
  }
}

type Row = { record: HomeRecord } | { problem: string } | undefined;

function measureOf(cells: readonly string[], mapping: CsvColumnMapping): HomeMeasure | string {
  if (mapping.columns.measure === undefined) return mapping.measure ?? 'no measure chosen';
  const word = (cells[mapping.columns.measure] ?? '').trim();
  const mapped =
    mapping.measureValues && Object.hasOwn(mapping.measureValues, word)
      ? mapping.measureValues[word]
      : undefined;
  const direct = homeMeasureSchema.safeParse(word);
  return mapped ?? (direct.success ? direct.data : `the measure "${word}" is not mapped`);
}

function readRow(cells: readonly string[], mapping: CsvColumnMapping): Row {
  if (cells.every((c) => c.trim() === '')) return undefined;
  const cell = (i: number | undefined): string => (i === undefined ? '' : (cells[i] ?? '').trim());
  const measure = measureOf(cells, mapping);
  if (!homeMeasureSchema.safeParse(measure).success) return { problem: measure };
  const m = measure as HomeMeasure;
  const effectiveStart = parseTime(cell(mapping.columns.time), mapping);
  if (!effectiveStart) return { problem: `unreadable time "${cell(mapping.columns.time)}"` };
  const unit = mapping.columns.unit !== undefined ? cell(mapping.columns.unit) : (mapping.unit ?? '');
  const convert = conversionFor(m, unit);
  if (!convert) return { problem: `the unit "${unit}" is not one this app knows for ${m}` };
  let rawValue = cell(mapping.columns.value);
  let rawDiastolic = cell(mapping.columns.diastolic);
  if (m === 'bloodPressure' && mapping.columns.diastolic === undefined) {
    // "128/82" in one cell.
    [rawValue = '', rawDiastolic = ''] = rawValue.split('/').map((p) => p.trim());
  }
  const value = parseDecimal(rawValue);
  if (value === undefined) return { problem: `unreadable value "${rawValue}"` };
  const [low, high] = PLAUSIBLE[m];
  const canonical = convert(value);
  if (canonical < low || canonical > high)
    return { problem: `the value ${rawValue} ${unit} is not plausible` };
  let diastolic: number | undefined;
  if (m === 'bloodPressure') {
    const d = parseDecimal(rawDiastolic);
    if (d === undefined) return { problem: `unreadable diastolic value "${rawDiastolic}"` };
    diastolic = convert(d);
    // The same range as the systolic, as the FHIR and Open mHealth readers check both halves.
    if (diastolic < low || diastolic > high)
      return { problem: `the diastolic value ${rawDiastolic} ${unit} is not plausible` };
  }
  const recordId = cell(mapping.columns.recordId);
  const device = cell(mapping.columns.device);
  return {
    record: {
      sourceRecordId: recordId
        ? `csv:${mapping.layoutKey}:${recordId}`.slice(0, 512)
        : contentId(`csv:${mapping.layoutKey}`, [m, effectiveStart, rawValue, rawDiastolic, unit]),
      measure: m,
      effectiveStart,
      value: canonical,
      ...(diastolic !== undefined ? { diastolic } : {}),
      sourceName: (mapping.sourceName ?? 'Spreadsheet').slice(0, 256),
      ...(device ? { device: device.slice(0, 512) } : {}),
    },
  };
}

async function* read(input: HomeImportInput, mapping: CsvColumnMapping): AsyncGenerator<HomeImportEvent> {
  const problems = new ProblemLog();
  let header = true;
  for await (const item of readCsvRows(input, mapping.delimiter)) {
    if (item.kind === 'progress') {
      yield item.event;
      continue;
    }
    if (header) {
      header = false;
      if (csvLayoutKey(item.cells) !== mapping.layoutKey) {
        throw new SourceError(
          "This file's columns are not the ones the mapping was confirmed for: confirm a mapping for this layout.",
          1,
        );
      }
      continue;
    }
    const result = readRow(item.cells, mapping);
    if (!result) continue;
    if ('record' in result) {
      yield { type: 'record', record: result.record };
      continue;
    }
    const event = problems.report('Rows not imported', {
      severity: 'error',
      at: item.line,
      message: `Line ${item.line}: ${result.problem}.`,
    });
    if (event) yield event;
  }
  if (header) throw new SourceError('The file is empty.');
  yield* problems.summaries();
}

/** One sample row as the mapping would import it, or why it would not. */
export type MappedSampleRow =
  | { line: number; record: Pick<HomeRecord, 'measure' | 'effectiveStart' | 'value' | 'diastolic'> }
  | { line: number; problem: string };

/**
 * The first `rows` data rows read with `mapping`, for the mapping form to show before anything is
 * staged. Refuses (SourceError) a file whose header is not the mapping's layout.
 */
export async function tryMappedCsvRows(
  input: HomeImportInput,
  mapping: CsvColumnMapping,
  rows = 5,
): Promise<MappedSampleRow[]> {
  const out: MappedSampleRow[] = [];
  let header = true;
  for await (const item of readCsvRows(input, mapping.delimiter)) {
    if (item.kind !== 'row') continue;
    if (header) {
      header = false;
      if (csvLayoutKey(item.cells) !== mapping.layoutKey)
        throw new SourceError("This file's columns are not the ones this mapping is for.", 1);
      continue;
    }
    const result = readRow(item.cells, mapping);
    if (!result) continue;
    if ('record' in result) {
      const { measure, effectiveStart, value, diastolic } = result.record;
      out.push({
        line: item.line,
        record: { measure, effectiveStart, value, ...(diastolic !== undefined ? { diastolic } : {}) },
      });
    } else
      out.push({
        line: item.line,
        problem: `${result.problem[0]!.toUpperCase()}${result.problem.slice(1)}.`,
      });
    if (out.length >= rows) break;
  }
  return out;
}

export function readMappedCsv(mapping?: CsvColumnMapping): HomeImportReader {
  const parsed = csvColumnMappingSchema.safeParse(mapping);
  if (!parsed.success) {
    return guarded(() => {
      throw new SourceError(
        'This CSV needs its columns mapped (time, value, unit, measure) before it can be imported.',
      );
    });
  }
  return guarded((input) => read(input, parsed.data));
}
