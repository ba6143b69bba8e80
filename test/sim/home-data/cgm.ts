/**
 * Sample CGM exports as Dexcom Clarity and LibreView write them: a day of meals and nights, readings every
 * 5 or 15 minutes, a few below and above the sensor's range. Times are wall-clock times without offset.
 */
import { writeFile } from 'node:fs/promises';
import { pad2, seeded, type Random } from './random';

export interface CgmOptions {
  /** First reading, wall-clock time (its UTC fields are used as the local time written). */
  start?: Date;
  days?: number;
  /** Number of readings; overrides days. */
  readings?: number;
  intervalMinutes?: 5 | 15;
  unit?: 'mg/dL' | 'mmol/L';
  seed?: number;
}

export interface CgmReading {
  /** Wall-clock time as written. */
  time: Date;
  /** mg/dL, or 'Low'/'High'. */
  mgdl: number | 'Low' | 'High';
}

/** A plausible glucose trace: a baseline, a rise after each meal, noise; a few excursions past the sensor. */
export function glucoseTrace(options: CgmOptions = {}): CgmReading[] {
  const interval = options.intervalMinutes ?? 5;
  const count = options.readings ?? Math.round(((options.days ?? 1) * 24 * 60) / interval);
  const start = options.start ?? new Date(Date.UTC(2026, 0, 1, 0, 3, 12));
  const random: Random = seeded(options.seed ?? 1);
  const out: CgmReading[] = [];
  let drift = 0;
  for (let i = 0; i < count; i++) {
    const time = new Date(start.getTime() + i * interval * 60_000);
    const hour = time.getUTCHours() + time.getUTCMinutes() / 60;
    const meal = [7.5, 12.5, 19].reduce((sum, m) => {
      const since = hour - m;
      return since > 0 && since < 3 ? sum + 70 * Math.sin((Math.PI * since) / 3) : sum;
    }, 0);
    drift = Math.max(-40, Math.min(40, drift + random.normal(0, 3)));
    let mgdl = Math.round(110 + meal + drift + random.normal(0, 4));
    if (random.next() < 0.002) mgdl = 35;
    if (random.next() < 0.002) mgdl = 420;
    out.push({ time, mgdl: mgdl < 40 ? 'Low' : mgdl > 400 ? 'High' : mgdl });
  }
  return out;
}

const isoLocal = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;

const mmol = (mgdl: number): string => (mgdl / 18.016).toFixed(1);

export const DEXCOM_HEADER = [
  'Index',
  'Timestamp (YYYY-MM-DDThh:mm:ss)',
  'Event Type',
  'Event Subtype',
  'Patient Info',
  'Device Info',
  'Source Device ID',
  'Glucose Value (mg/dL)',
  'Insulin Value (u)',
  'Carb Value (grams)',
  'Duration (hh:mm:ss)',
  'Glucose Rate of Change (mg/dL/min)',
  'Transmitter Time (Long Integer)',
  'Transmitter ID',
];

/** A Clarity export: header, the patient and device rows, the alert settings, then EGV rows and a carb entry. */
export function dexcomClarityCsv(options: CgmOptions = {}): string {
  const unit = options.unit ?? 'mg/dL';
  const header = DEXCOM_HEADER.map((h) => h.replace('(mg/dL', `(${unit}`));
  const lines = [header.join(',')];
  const meta = [
    ['FirstName', '', 'Jane'],
    ['LastName', '', 'Doe'],
    ['Device', '', '', 'Dexcom G6 Mobile App', 'android G6'],
    ['Alert', 'Fall', '', '', '', ''],
    ['Alert', 'High', '', '', '', ''],
    ['Alert', 'Low', '', '', '', ''],
  ];
  let index = 1;
  for (const [type, subtype, patient = '', deviceInfo = '', source = ''] of meta) {
    lines.push(
      [index++, '', type, subtype, patient, deviceInfo, source, '', '', '', '', '', '', ''].join(','),
    );
  }
  const trace = glucoseTrace(options);
  const transmitterStart = 4_237_574;
  trace.forEach((r, i) => {
    const value = typeof r.mgdl === 'number' ? (unit === 'mg/dL' ? String(r.mgdl) : mmol(r.mgdl)) : r.mgdl;
    lines.push(
      [
        index++,
        isoLocal(r.time),
        'EGV',
        '',
        '',
        '',
        'android G6',
        value,
        '',
        '',
        '',
        '',
        transmitterStart + i * 300,
        '8AM1EY',
      ].join(','),
    );
    if (i === 100) {
      lines.push(
        [index++, isoLocal(r.time), 'Carbs', '', '', '', 'android G6', '', '', '45', '', '', '', ''].join(
          ',',
        ),
      );
    }
  });
  return `${lines.join('\r\n')}\r\n`;
}

export const LIBREVIEW_COLUMNS = (unit: 'mg/dL' | 'mmol/L'): string[] => [
  'Device',
  'Serial Number',
  'Device Timestamp',
  'Record Type',
  `Historic Glucose ${unit}`,
  `Scan Glucose ${unit}`,
  'Non-numeric Rapid-Acting Insulin',
  'Rapid-Acting Insulin (units)',
  'Non-numeric Food',
  'Carbohydrates (grams)',
  'Carbohydrates (servings)',
  'Non-numeric Long-Acting Insulin',
  'Long-Acting Insulin Value (units)',
  'Notes',
  `Strip Glucose ${unit}`,
  'Ketone mmol/L',
  'Meal Insulin (units)',
  'Correction Insulin (units)',
  'User Change Insulin (units)',
];

/** A LibreView download: the report line, the header, historic readings, a few scans and a note. */
export function libreViewCsv(options: CgmOptions & { dateStyle?: 'dmy' | 'us' } = {}): string {
  const unit = options.unit ?? 'mg/dL';
  const columns = LIBREVIEW_COLUMNS(unit);
  const lines = ['Glucose Data,Generated on,01-12-2026 10:00 UTC,Generated by,Jane Doe', columns.join(',')];
  const time = (d: Date): string => {
    if (options.dateStyle === 'us') {
      const h = d.getUTCHours();
      return `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}-${d.getUTCFullYear()} ${pad2(((h + 11) % 12) + 1)}:${pad2(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
    }
    return `${pad2(d.getUTCDate())}-${pad2(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  };
  const value = (mgdl: number | 'Low' | 'High'): string => {
    const n = mgdl === 'Low' ? 40 : mgdl === 'High' ? 500 : mgdl;
    return unit === 'mg/dL' ? String(n) : mmol(n);
  };
  const trace = glucoseTrace({ intervalMinutes: 15, ...options });
  const row = (cells: Record<number, string>): string =>
    columns
      .map((_, i) => {
        const c = cells[i] ?? '';
        return /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
      })
      .join(',');
  trace.forEach((r, i) => {
    lines.push(row({ 0: 'FreeStyle Libre 2', 1: 'MXGT123-4567', 2: time(r.time), 3: '0', 4: value(r.mgdl) }));
    if (i % 40 === 7) {
      lines.push(
        row({
          0: 'FreeStyle Libre 2',
          1: 'MXGT123-4567',
          2: time(new Date(r.time.getTime() + 120_000)),
          3: '1',
          5: value(r.mgdl),
        }),
      );
    }
    if (i === 20) {
      lines.push(
        row({
          0: 'FreeStyle Libre 2',
          1: 'MXGT123-4567',
          2: time(r.time),
          3: '6',
          13: 'Felt "shaky",\nhad juice',
        }),
      );
    }
  });
  return `${lines.join('\r\n')}\r\n`;
}

export async function writeDexcomClarityCsv(path: string, options: CgmOptions = {}): Promise<void> {
  await writeFile(path, dexcomClarityCsv(options));
}

export async function writeLibreViewCsv(
  path: string,
  options: CgmOptions & { dateStyle?: 'dmy' | 'us' } = {},
): Promise<void> {
  await writeFile(path, libreViewCsv(options));
}
