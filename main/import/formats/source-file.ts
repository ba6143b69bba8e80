/**
 * Reading a source file the way every text reader needs it: size checked against the policy first,
 * streamed in chunks, split into lines (CRLF or LF, UTF-8 with or without BOM) with 1-based numbers,
 * progress in bytes, and a stop as soon as the import is cancelled.
 */
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { HomeImportEvent, HomeImportInput } from './events';
import { regularFileChunks } from '../regular-file';

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

/** What tells one version of a file from another: a file rewritten, swapped or grown differs in one. */
export interface FileVersion {
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
}

/** Said when a file is not the one that was measured at the start (still being copied, or swapped). */
export const FILE_CHANGED =
  'The file changed while it was being read (it may still be copying or downloading). Choose it again once it is complete. Nothing was imported.';

/**
 * The file's version, refused when it is not a regular file (a pipe or a device never ends) or is over
 * the policy's limit, before a byte of it is read.
 */
export async function versionWithinLimit(input: HomeImportInput): Promise<FileVersion> {
  const info = await stat(input.path);
  if (!info.isFile()) throw new SourceError('This is not a file that can be imported (a device or a pipe).');
  if (info.size > input.maxBytes) {
    throw new SourceError(
      `The file is ${formatBytes(info.size)}, over the ${formatBytes(input.maxBytes)} this workstation accepts for an import.`,
    );
  }
  return { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, dev: info.dev };
}

/** The file's size, refused when over the policy's limit (before a byte of it is read). */
export async function sizeWithinLimit(input: HomeImportInput): Promise<number> {
  return (await versionWithinLimit(input)).size;
}

/** Throws FILE_CHANGED when the file at `path` is no longer the version read. */
export async function throwIfChanged(path: string, read: FileVersion): Promise<void> {
  let now: FileVersion;
  try {
    now = await stat(path);
  } catch {
    throw new SourceError(FILE_CHANGED);
  }
  if (now.size !== read.size || now.mtimeMs !== read.mtimeMs || now.ino !== read.ino || now.dev !== read.dev)
    throw new SourceError(FILE_CHANGED);
}

/**
 * The file's bytes in chunks, never more than the size measured at the start (a file that keeps growing
 * is not read forever); throws FILE_CHANGED when it turns out longer or shorter, or changed meanwhile.
 */
export async function* stableChunks(
  path: string,
  version: FileVersion,
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<Buffer> {
  let bytes = 0;
  // One byte past the measured end: a file that grew shows it.
  for await (const buffer of regularFileChunks(path, { highWaterMark: chunkBytes, end: version.size })) {
    bytes += buffer.length;
    if (bytes > version.size) throw new SourceError(FILE_CHANGED);
    yield buffer;
  }
  if (bytes !== version.size) throw new SourceError(FILE_CHANGED);
  await throwIfChanged(path, version);
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Import cancelled');
}

/** Lines of a text file, with progress events between chunks. Throws SourceError for an over-long line. */
export async function* readLines(input: HomeImportInput): AsyncGenerator<LineOrProgress> {
  const version = await versionWithinLimit(input);
  const bytesTotal = version.size;
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let line = 0;
  let bytesRead = 0;
  let first = true;
  for await (const buffer of stableChunks(input.path, version)) {
    throwIfAborted(input.signal);
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
