/**
 * Dexcom Clarity "Export" CSV: one header row, then metadata rows (FirstName, LastName, Device, Alert...)
 * and event rows; EGV rows are the 5-minute sensor readings, "Low"/"High" where the sensor reads below
 * 40 mg/dL or above 400 mg/dL. Times are the device's wall-clock time without an offset.
 */
import type { HomeRecord } from '../../../shared/home-data/record';
import { readCgmCsv, type CgmRowResult } from './cgm-csv';
import type { HomeImportInput } from './events';
import { glucoseUnitOf, parseDecimal, toMgDl, type GlucoseUnit } from './cgm-glucose';
import { guarded } from './guard';
import { parseIsoLocal, wallClockToIso } from './local-time';
import { SourceError } from './source-file';

const SOURCE = 'Dexcom Clarity';
const LOW_MGDL = 40;
const HIGH_MGDL = 400;

export function isDexcomClarityHeader(line: string): boolean {
  return /^\s*"?Index"?\s*,\s*"?Timestamp \(YYYY-MM-DDThh:mm:ss\)"?\s*,\s*"?Event Type"?/i.test(line);
}

interface Columns {
  time: number;
  eventType: number;
  glucose: number;
  unit: GlucoseUnit;
  sourceDevice: number;
  transmitterTime: number;
  transmitterId: number;
}

function columnsOf(header: readonly string[]): Columns {
  const find = (test: (h: string) => boolean): number =>
    header.findIndex((h) => test(h.trim().toLowerCase()));
  const time = find((h) => h.startsWith('timestamp'));
  const eventType = find((h) => h === 'event type');
  const glucose = find((h) => h.startsWith('glucose value'));
  if (time === -1 || eventType === -1 || glucose === -1) {
    throw new SourceError(
      'This Dexcom Clarity export lacks its Timestamp, Event Type or Glucose Value column.',
      1,
    );
  }
  const unit = glucoseUnitOf(header[glucose] ?? '');
  if (!unit) {
    throw new SourceError(
      `The glucose column "${header[glucose] ?? ''}" names no unit this app reads (mg/dL or mmol/L).`,
      1,
    );
  }
  return {
    time,
    eventType,
    glucose,
    unit,
    sourceDevice: find((h) => h === 'source device id'),
    transmitterTime: find((h) => h.startsWith('transmitter time')),
    transmitterId: find((h) => h === 'transmitter id'),
  };
}

function readRow(cells: readonly string[], c: Columns): CgmRowResult {
  const cell = (i: number): string => (i >= 0 ? (cells[i] ?? '').trim() : '');
  if (cell(c.eventType).toUpperCase() !== 'EGV') return undefined;
  const wall = parseIsoLocal(cell(c.time));
  const effectiveStart = wall && wallClockToIso(wall);
  if (!effectiveStart) return { problem: `unreadable time "${cell(c.time)}"` };
  const raw = cell(c.glucose);
  let value: number;
  let beyondRange: HomeRecord['beyondRange'];
  if (/^low$/i.test(raw)) {
    value = LOW_MGDL;
    beyondRange = 'below';
  } else if (/^high$/i.test(raw)) {
    value = HIGH_MGDL;
    beyondRange = 'above';
  } else {
    const parsed = parseDecimal(raw);
    if (parsed === undefined || parsed <= 0) return { problem: `unreadable glucose value "${raw}"` };
    value = toMgDl(parsed, c.unit);
  }
  const transmitterId = cell(c.transmitterId);
  const transmitterTime = cell(c.transmitterTime);
  const sourceDevice = cell(c.sourceDevice);
  const sourceRecordId =
    transmitterId && transmitterTime
      ? `dexcom:${transmitterId}:${transmitterTime}`
      : `dexcom:${sourceDevice || 'device'}:${effectiveStart}`;
  const device = [sourceDevice, transmitterId && `transmitter ${transmitterId}`].filter(Boolean).join(', ');
  return {
    record: {
      sourceRecordId,
      measure: 'glucose',
      effectiveStart,
      value,
      ...(beyondRange ? { beyondRange } : {}),
      sourceName: SOURCE,
      ...(device ? { device } : {}),
    },
  };
}

const read = (input: HomeImportInput) =>
  readCgmCsv(input, {
    header(cells) {
      if (!isDexcomClarityHeader(cells.join(',')))
        throw new SourceError(
          'This is not a Dexcom Clarity export: its first row is not the Clarity header.',
          1,
        );
      return columnsOf(cells);
    },
    isBlank: (cells) => cells.length === 1 && cells[0]?.trim() === '',
    readRow,
    skipped: 'Dexcom readings skipped',
    noHeader: 'The file is empty.',
    noReadings: 'The export holds no sensor readings (EGV rows).',
  });

export const readDexcomClarity = guarded(read);
