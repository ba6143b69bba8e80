/** JSON documents and NDJSON lines, with parse faults turned into a message that names the line. */
import { readFile } from 'node:fs/promises';
import { SourceError, sizeWithinLimit } from './source-file';
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
 * A whole JSON document. A FHIR Bundle or an Open mHealth array is one value, so it is read at once; the
 * policy's size limit bounds it, and the bench shows a year of data stays well within memory.
 */
export async function readJsonDocument(input: HomeImportInput): Promise<{ value: unknown; bytes: number }> {
  const bytes = await sizeWithinLimit(input);
  let text = await readFile(input.path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = parseJson(text);
  if ('error' in parsed) throw new SourceError(`Line ${parsed.line}: ${parsed.error}.`, parsed.line);
  return { value: parsed.value, bytes };
}
