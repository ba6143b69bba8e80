/**
 * The column mappings nurses confirmed for "any other CSV", one per layout (csvLayoutKey of the header),
 * so the next file of that layout is read without asking again. Workstation settings, never PHI: a
 * mapping holds column numbers, a date format, a measure and a unit (and the measure column's words,
 * such as "Pulse"), never a value or a row of a file; the file's own source name is not kept either.
 * Checked again with zod whenever it is loaded: a hand-edited or older entry is dropped, not trusted.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { csvColumnMappingSchema, type CsvColumnMapping } from '../../shared/home-data/csv-mapping';

/** The newest this many layouts are kept: a clinic meets a handful, not thousands. */
export const MAX_CSV_LAYOUTS = 200;

/** Where the raw document lives (electron-store in the shell, a JSON file elsewhere). */
export interface CsvMappingBackend {
  read(): unknown;
  write(document: { layouts: Record<string, CsvColumnMapping> }): void;
}

export interface CsvMappingStore {
  get(layoutKey: string): CsvColumnMapping | undefined;
  /** Remembers `mapping` for its layout, replacing the one before; returns what was stored. */
  save(mapping: CsvColumnMapping): CsvColumnMapping;
}

/** What may be remembered of a mapping: everything but the free-text source name. */
function rememberable(mapping: CsvColumnMapping): CsvColumnMapping {
  const { sourceName: _dropped, ...kept } = mapping;
  return kept;
}

/** The stored layouts that still check out, in the order they were saved (oldest first). */
export function sanitizeCsvMappings(raw: unknown): Map<string, CsvColumnMapping> {
  const out = new Map<string, CsvColumnMapping>();
  if (raw === null || typeof raw !== 'object') return out;
  const layouts = (raw as { layouts?: unknown }).layouts;
  if (layouts === null || typeof layouts !== 'object' || Array.isArray(layouts)) return out;
  for (const [key, value] of Object.entries(layouts as Record<string, unknown>)) {
    const parsed = csvColumnMappingSchema.safeParse(value);
    // Filed under another layout's key, it would be offered for the wrong file: dropped.
    if (!parsed.success || parsed.data.layoutKey !== key) continue;
    out.set(key, rememberable(parsed.data));
  }
  return out;
}

export function createCsvMappingStore(backend: CsvMappingBackend): CsvMappingStore {
  const load = () => sanitizeCsvMappings(backend.read());
  return {
    get: (layoutKey) => load().get(layoutKey),
    save(mapping) {
      const checked = rememberable(csvColumnMappingSchema.parse(mapping));
      const layouts = load();
      layouts.delete(checked.layoutKey);
      layouts.set(checked.layoutKey, checked);
      while (layouts.size > MAX_CSV_LAYOUTS) layouts.delete(layouts.keys().next().value!);
      backend.write({ layouts: Object.fromEntries(layouts) });
      return checked;
    },
  };
}

/** A JSON file beside the settings (the Chromium host and tests), written atomically, owner-only. */
export function jsonFileCsvMappingBackend(file: string): CsvMappingBackend {
  return {
    read() {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch {
        // Missing or damaged: no layout is remembered; the nurse maps the next file again.
        return {};
      }
    },
    write(document) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, file);
    },
  };
}

/** In memory: unit tests. */
export function memoryCsvMappingBackend(initial: unknown = {}): CsvMappingBackend & { raw(): unknown } {
  let document = initial;
  return {
    read: () => structuredClone(document),
    write(next) {
      document = structuredClone(next);
    },
    raw: () => document,
  };
}
