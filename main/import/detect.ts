/**
 * Which kind of home-data file this is, by its content (magic bytes, the zip's entry names, the XML root,
 * the JSON shape, the CSV header), not by its extension: patients rename files, and mail clients too.
 */
import type { CsvColumnMapping } from '../../shared/home-data/csv-mapping';
import type { HomeImportFormat } from '../../shared/home-data/record';
import type { HomeImportReader } from './formats/events';
import { readAppleHealth } from './formats/apple-health/reader';
import { readDexcomClarity } from './formats/dexcom-clarity';
import { readLibreView } from './formats/libreview';
import { readFhirBundle, readFhirNdjson } from './formats/fhir';
import { readOpenMHealth } from './formats/open-mhealth';
import { readMappedCsv } from './formats/mapped-csv';
import { isDexcomClarityHeader } from './formats/dexcom-clarity';
import { isLibreViewHead } from './formats/libreview';
import { listZipEntries, ZipError } from './zip/central-directory';
import { findAppleHealthXmlEntry } from './formats/apple-health/reader';
import { NotAFileError, openRegularFile } from './regular-file';

const SNIFF_BYTES = 64 * 1024;

export type DetectedFormat = HomeImportFormat | { unknown: string };

async function readHead(path: string): Promise<{ head: Buffer; size: number }> {
  const file = await openRegularFile(path);
  try {
    const { size } = await file.stat();
    const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return { head: buffer.subarray(0, bytesRead), size };
  } finally {
    await file.close();
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function detectJson(text: string): DetectedFormat {
  if (
    /^\s*\{\s*"resourceType"\s*:\s*"Bundle"/.test(text) ||
    /"resourceType"\s*:\s*"Bundle"/.test(text.slice(0, 4096))
  ) {
    return 'fhir-bundle';
  }
  const firstLine = text.split('\n', 1)[0] ?? '';
  if (/"resourceType"\s*:\s*"Observation"/.test(firstLine)) return 'fhir-ndjson';
  if (/"schema_id"/.test(text.slice(0, 8192)) && /"header"/.test(text.slice(0, 8192))) return 'open-mhealth';
  if (/"resourceType"/.test(text.slice(0, 4096))) {
    return { unknown: 'a FHIR file that holds neither a Bundle nor Observations' };
  }
  return { unknown: 'a JSON file that is neither FHIR nor Open mHealth' };
}

function detectText(text: string): DetectedFormat {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) {
    return /<HealthData[\s>]/.test(text)
      ? 'apple-health'
      : { unknown: 'an XML file that is not an Apple Health export' };
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return detectJson(trimmed);
  const lines = text.split(/\r?\n/, 4);
  if (isDexcomClarityHeader(lines[0] ?? '')) return 'dexcom-clarity';
  if (isLibreViewHead(lines)) return 'libreview';
  if (/[,;\t]/.test(lines[0] ?? '') && lines.length > 1) return 'mapped-csv';
  return { unknown: 'a file that is not a health export this app reads' };
}

/** Detects by content. Never throws for content; an unreadable file rejects (the caller reports it). */
export async function detectHomeImportFormat(path: string): Promise<DetectedFormat> {
  let read: { head: Buffer; size: number };
  try {
    read = await readHead(path);
  } catch (error) {
    if (error instanceof NotAFileError) return { unknown: 'not a file (a device or a pipe)' };
    throw error;
  }
  const { head, size } = read;
  if (head.length === 0) return { unknown: 'an empty file' };
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) {
    try {
      const entries = await listZipEntries(path, size);
      return findAppleHealthXmlEntry(entries)
        ? 'apple-health'
        : { unknown: 'a zip that holds no Apple Health export.xml' };
    } catch (error) {
      if (error instanceof ZipError) return { unknown: `a damaged zip file (${error.message})` };
      throw error;
    }
  }
  if (head.includes(0)) return { unknown: 'a binary file that is not a health export' };
  return detectText(stripBom(head.toString('utf8')));
}

/** The reader for a detected format; mapped CSV needs the mapping the nurse confirmed. */
export function readerFor(format: HomeImportFormat, mapping?: CsvColumnMapping): HomeImportReader {
  switch (format) {
    case 'apple-health':
      return readAppleHealth;
    case 'dexcom-clarity':
      return readDexcomClarity;
    case 'libreview':
      return readLibreView;
    case 'fhir-bundle':
      return readFhirBundle;
    case 'fhir-ndjson':
      return readFhirNdjson;
    case 'open-mhealth':
      return readOpenMHealth;
    case 'mapped-csv':
      return readMappedCsv(mapping);
  }
}
