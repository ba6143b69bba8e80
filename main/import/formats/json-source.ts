/** JSON documents and NDJSON lines, with parse faults turned into a message that names the line. */
import { formatBytes, SourceError, stableChunks, versionWithinLimit } from './source-file';
import type { HomeImportInput } from './events';

/** The 1-based line of a character offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export function parseJson(text: string, firstLine = 1): { value: unknown } | { error: string; line: number } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = firstLine - 1 + (position ? lineOf(text, Number(position[1])) : 1);
    return { error: `not valid JSON (${message.replace(/ in JSON at position \d+.*$/, '')})`, line };
  }
}

/**
 * The most of a document read at once. Its text and the values parsed from it are held together (about
 * twice its size), within the import thread's heap; years of readings are a few MB. NDJSON is read a line
 * at a time, without this limit.
 */
export const MAX_JSON_DOCUMENT_BYTES = 32 * 1024 * 1024;

/**
 * The text of a document read whole (a FHIR Bundle, Open mHealth), refused over MAX_JSON_DOCUMENT_BYTES
 * with a message the nurse can act on, and when the file changes while it is read.
 */
export async function readWholeText(input: HomeImportInput): Promise<{ text: string; bytes: number }> {
  const version = await versionWithinLimit(input);
  if (version.size > MAX_JSON_DOCUMENT_BYTES) {
    throw new SourceError(
      `This file is ${formatBytes(version.size)}; a JSON document is read whole, and this workstation reads one of at most ${formatBytes(MAX_JSON_DOCUMENT_BYTES)}. Export it as NDJSON (one record a line) or in parts. Nothing was imported.`,
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stableChunks(input.path, version)) {
    chunks.push(chunk);
  }
  let text = Buffer.concat(chunks).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, bytes: version.size };
}

/** A whole JSON document: a FHIR Bundle is one value, so it is read at once (see readWholeText). */
export async function readJsonDocument(input: HomeImportInput): Promise<{ value: unknown; bytes: number }> {
  const { text, bytes } = await readWholeText(input);
  const parsed = parseJson(text);
  if ('error' in parsed) throw new SourceError(`Line ${parsed.line}: ${parsed.error}.`, parsed.line);
  return { value: parsed.value, bytes };
}
