/**
 * How the columns of "any other CSV" map onto home records, as the nurse confirms it once per layout.
 * Crosses IPC (the renderer proposes it, main reads with it), hence the zod schema. Pure: runs anywhere.
 */
import { z } from 'zod';
import { homeMeasureSchema } from './record';

/**
 * How the time column is written. Times without an offset are read in the workstation's local time zone
 * (patient and clinic are in the same place), or with `utcOffsetMinutes` when the mapping gives one.
 */
export const csvTimeFormatSchema = z.enum([
  /** 2026-03-01T08:15:00Z, 2026-03-01 08:15, 2026-03-01T08:15:00+01:00 */
  'iso',
  /** 01/03/2026 08:15 (day first) */
  'dmy',
  /** 03/01/2026 08:15 (month first, US) */
  'mdy',
  /** Seconds since 1970-01-01 UTC */
  'epoch-s',
  /** Milliseconds since 1970-01-01 UTC */
  'epoch-ms',
]);
export type CsvTimeFormat = z.infer<typeof csvTimeFormatSchema>;

const columnIndex = z.number().int().min(0).max(1000);

export const csvColumnMappingSchema = z
  .object({
    /** csvLayoutKey() of the header row: the layout this mapping was confirmed for. */
    layoutKey: z.string().regex(/^[0-9a-f]{16}$/),
    delimiter: z.enum([',', ';', '\t']),
    /** 0-based column indexes into the header row. */
    columns: z.object({
      time: columnIndex,
      value: columnIndex,
      /** Diastolic value, when blood pressure is written as two columns. */
      diastolic: columnIndex.optional(),
      unit: columnIndex.optional(),
      measure: columnIndex.optional(),
      /** The file's own row id, when it has one (otherwise identity is time + measure + value). */
      recordId: columnIndex.optional(),
      device: columnIndex.optional(),
    }),
    timeFormat: csvTimeFormatSchema,
    utcOffsetMinutes: z
      .number()
      .int()
      .min(-14 * 60)
      .max(14 * 60)
      .optional(),
    /** The measure of every row, when the file has no measure column. */
    measure: homeMeasureSchema.optional(),
    /** What the words in the measure column mean: {"Pulse": "heartRate", "Weight": "bodyWeight"}. */
    measureValues: z.record(z.string().max(200), homeMeasureSchema).optional(),
    /** The unit of every value, when the file has no unit column (a unit the reader knows for the measure). */
    unit: z.string().max(40).optional(),
    /** Shown as the record's source. */
    sourceName: z.string().max(256).optional(),
  })
  .refine((m) => m.measure !== undefined || m.columns.measure !== undefined, {
    message: 'Choose the measure, or the column that names it.',
    path: ['measure'],
  });
export type CsvColumnMapping = z.infer<typeof csvColumnMappingSchema>;

/**
 * A stable key of a CSV layout: FNV-1a (64-bit) of the trimmed, lower-cased header cells joined by a
 * unit separator. Not a security hash; it only tells layouts apart so a confirmed mapping is offered again.
 */
export function csvLayoutKey(headerCells: readonly string[]): string {
  const text = headerCells.map((c) => c.trim().toLowerCase()).join('\u001f');
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}
