/**
 * Reading a source file the way every text reader needs it: size checked against the policy first,
 * streamed in chunks, split into lines (CRLF or LF, UTF-8 with or without BOM) with 1-based numbers,
 * progress in bytes, and a stop as soon as the import is cancelled.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { HomeImportEvent, HomeImportInput } from './events';

export type LineOrProgress =
  { kind: 'line'; text: string; line: number } | { kind: 'progress'; event: HomeImportEvent };

export const CHUNK_BYTES = 1024 * 1024;
/** A line longer than this is not a line of any export we read: refuse rather than buffer it. */
const MAX_LINE_CHARS = 1024 * 1024;

export class SourceError extends Error {
  override name = 'SourceError';
  constructor(
    message: string,
    readonly at?: number,
  ) {
    super(message);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} kB`;
}

/** The file's size, refused when over the policy's limit (before a byte of it is read). */
export async function sizeWithinLimit(input: HomeImportInput): Promise<number> {
  const { size } = await stat(input.path);
  if (size > input.maxBytes) {
    throw new SourceError(
      `The file is ${formatBytes(size)}, over the ${formatBytes(input.maxBytes)} this workstation accepts for an import.`,
    );
  }
  return size;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Import cancelled');
}

/** Lines of a text file, with progress events between chunks. Throws SourceError for an over-long line. */
export async function* readLines(input: HomeImportInput): AsyncGenerator<LineOrProgress> {
  const bytesTotal = await sizeWithinLimit(input);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let line = 0;
  let bytesRead = 0;
  let first = true;
  for await (const chunk of createReadStream(input.path, { highWaterMark: CHUNK_BYTES })) {
    throwIfAborted(input.signal);
    const buffer = chunk as Buffer;
    bytesRead += buffer.length;
    let text = carry + decoder.write(buffer);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      line += 1;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield { kind: 'line', text: text.slice(start, end), line };
      start = nl + 1;
    }
    carry = text.slice(start);
    if (carry.length > MAX_LINE_CHARS) {
      throw new SourceError(
        `Line ${line + 1} is longer than any line of a health export: this is not a text export.`,
        line + 1,
      );
    }
    yield { kind: 'progress', event: { type: 'progress', bytesRead, bytesTotal } };
  }
  carry += decoder.end();
  if (carry.length > 0) {
    line += 1;
    yield { kind: 'line', text: carry.endsWith('\r') ? carry.slice(0, -1) : carry, line };
  }
}

/**
 * Splits one CSV record (RFC 4180: quoted fields, doubled quotes). Returns null when a quoted field is
 * still open at the end of the text, so the caller can join the next line (a note with a line break).
 */
export function splitCsv(text: string, delimiter: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return null;
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      const next = text.indexOf(delimiter, j);
      // Anything between the closing quote and the delimiter is kept, as spreadsheet programs do.
      value += text.slice(j, next === -1 ? n : next);
      cells.push(value);
      if (next === -1) return cells;
      i = next + delimiter.length;
    } else {
      const next = text.indexOf(delimiter, i);
      cells.push(text.slice(i, next === -1 ? n : next));
      if (next === -1) return cells;
      i = next + delimiter.length;
    }
  }
}

export type CsvRowOrProgress =
  { kind: 'row'; cells: string[]; line: number } | { kind: 'progress'; event: HomeImportEvent };

/** CSV records (a quoted field may span lines; `line` is where the record starts). */
export async function* readCsvRows(
  input: HomeImportInput,
  delimiter: string,
): AsyncGenerator<CsvRowOrProgress> {
  let pending: { text: string; line: number } | undefined;
  for await (const item of readLines(input)) {
    if (item.kind === 'progress') {
      yield item;
      continue;
    }
    const text = pending ? `${pending.text}\n${item.text}` : item.text;
    const line = pending ? pending.line : item.line;
    const cells = splitCsv(text, delimiter);
    if (cells === null) {
      if (text.length > MAX_LINE_CHARS)
        throw new SourceError(`A quoted field opened on line ${line} never closes.`, line);
      pending = { text, line };
      continue;
    }
    pending = undefined;
    yield { kind: 'row', cells, line };
  }
  if (pending)
    throw new SourceError(`A quoted field opened on line ${pending.line} never closes.`, pending.line);
}
