/**
 * LibreView "Download glucose data" CSV (FreeStyle Libre): a first line naming the report, then the header
 * (Device, Serial Number, Device Timestamp, Record Type, Historic Glucose <unit>, Scan Glucose <unit>, ...,
 * Strip Glucose <unit>, Ketone mmol/L). Record Type 0 is the sensor's stored reading (every 15 minutes,
 * 5 on Libre 3), 1 a scan, 2 a finger-stick strip; other types (insulin, food, notes) are not measures.
 * The sensor reports at its limits (40 and 500 mg/dL; Tidepool Uploader's LibreView driver treats a value
 * within 1 of a limit as out of range) or "LO"/"HI".
 */
import type { HomeRecord } from '../../../shared/home-data/record';
import { readCgmCsv, type CgmRowResult } from './cgm-csv';
import type { HomeImportInput } from './events';
import { glucoseUnitOf, parseDecimal, toMgDl, type GlucoseUnit } from './cgm-glucose';
import { guarded } from './guard';
import { parseIsoLocal, parseNumericDate, wallClockToIso, type WallClock } from './local-time';
import { SourceError } from './source-file';

const SOURCE = 'LibreView';
const LIMITS: Record<GlucoseUnit, { low: number; high: number }> = {
  'mg/dL': { low: 40, high: 500 },
  'mmol/L': { low: 2.2, high: 27.8 },
};
const TYPE_COLUMN: Record<string, string> = {
  '0': 'historic glucose',
  '1': 'scan glucose',
  '2': 'strip glucose',
};

const HEADER = /^\s*"?Device"?\s*,\s*"?Serial Number"?\s*,\s*"?Device Timestamp"?\s*,\s*"?Record Type"?/i;

export function isLibreViewHead(lines: readonly string[]): boolean {
  return lines.slice(0, 3).some((l) => HEADER.test(l));
}

/**
 * LibreView writes the date in the account's locale: "DD-MM-YYYY HH:mm" (and "DD/MM/YYYY" in the layout
 * Tidepool reads), "MM-DD-YYYY hh:mm AM" in the US, or year first. A 12-hour clock means month first.
 */
export function parseLibreViewTime(text: string): WallClock | undefined {
  const t = text.trim();
  if (/^\d{4}-/.test(t)) return parseIsoLocal(t);
  return parseNumericDate(t, /[ap]m$/i.test(t) ? 'mdy' : 'dmy');
}

interface Columns {
  device: number;
  serial: number;
  time: number;
  type: number;
  glucose: Map<string, { index: number; unit: GlucoseUnit }>;
}

function columnsOf(header: readonly string[]): Columns {
  const glucose = new Map<string, { index: number; unit: GlucoseUnit }>();
  header.forEach((h, index) => {
    const lower = h.trim().toLowerCase();
    for (const name of Object.values(TYPE_COLUMN)) {
      if (lower.startsWith(name)) {
        const unit = glucoseUnitOf(h);
        if (!unit)
          throw new SourceError(`The column "${h.trim()}" names no unit this app reads (mg/dL or mmol/L).`);
        glucose.set(name, { index, unit });
      }
    }
  });
  if (!glucose.has('historic glucose')) {
    throw new SourceError('This LibreView export has no "Historic Glucose" column.');
  }
  return { device: 0, serial: 1, time: 2, type: 3, glucose };
}

function readRow(cells: readonly string[], c: Columns): CgmRowResult {
  const cell = (i: number): string => (cells[i] ?? '').trim();
  const column = TYPE_COLUMN[cell(c.type)];
  if (!column) return undefined;
  const { index, unit } = c.glucose.get(column) ?? {};
  if (index === undefined || !unit) return { problem: `a ${column} reading but no column for it` };
  const wall = parseLibreViewTime(cell(c.time));
  const effectiveStart = wall && wallClockToIso(wall);
  if (!effectiveStart) return { problem: `unreadable time "${cell(c.time)}"` };
  const raw = cell(index);
  if (raw === '') return undefined;
  const limits = LIMITS[unit];
  let value = /^lo(w)?$/i.test(raw) ? limits.low : /^hi(gh)?$/i.test(raw) ? limits.high : parseDecimal(raw);
  if (value === undefined || value <= 0) return { problem: `unreadable glucose value "${raw}"` };
  let beyondRange: HomeRecord['beyondRange'];
  const step = unit === 'mg/dL' ? 1 : 0.1;
  if (value < limits.low + step) {
    value = limits.low;
    beyondRange = 'below';
  } else if (value > limits.high - step) {
    value = limits.high;
    beyondRange = 'above';
  }
  const serial = cell(c.serial);
  const device = [cell(c.device), serial].filter(Boolean).join(' ');
  return {
    record: {
      sourceRecordId: `libreview:${serial || cell(c.device) || 'device'}:${cell(c.type)}:${effectiveStart}`,
      measure: 'glucose',
      effectiveStart,
      value: toMgDl(value, unit),
      ...(beyondRange ? { beyondRange } : {}),
      sourceName: SOURCE,
      ...(device ? { device } : {}),
    },
  };
}

const NO_HEADER = 'This is not a LibreView export: no LibreView header in its first lines.';

const read = (input: HomeImportInput) =>
  readCgmCsv(input, {
    header(cells, line) {
      if (HEADER.test(cells.join(','))) return columnsOf(cells);
      if (line >= 3) throw new SourceError(NO_HEADER);
      return undefined;
    },
    isBlank: (cells) => cells.every((cell) => cell.trim() === ''),
    readRow,
    skipped: 'LibreView readings skipped',
    noHeader: NO_HEADER,
    noReadings: 'The export holds no glucose readings.',
  });

export const readLibreView = guarded(read);
