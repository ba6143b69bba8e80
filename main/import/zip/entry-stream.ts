/**
 * One zip member, inflated as a stream with node:zlib, refusing what a zip bomb does: a member that
 * declares more than the policy allows, an impossible compression ratio, more bytes than it declared,
 * or a checksum that does not match (a damaged or tampered archive).
 */
import { openRegularFile } from '../regular-file';
import { createInflateRaw, crc32 } from 'node:zlib';
import { formatBytes } from '../formats/source-file';
import { entryDataOffset, ZipError, type ZipEntry } from './central-directory';

/**
 * Deflate cannot exceed about 1032:1; Apple Health XML compresses 10-30:1. Anything past this is built
 * to exhaust memory or disk, not exported by a phone.
 */
export const MAX_COMPRESSION_RATIO = 200;

export interface EntryLimits {
  /** The most this member may inflate to. */
  maxBytes: number;
  signal?: AbortSignal;
}

export async function* inflateEntry(
  path: string,
  entry: ZipEntry,
  limits: EntryLimits,
): AsyncGenerator<Buffer> {
  if (entry.encrypted) throw new ZipError(`"${entry.name}" is password-protected`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new ZipError(`"${entry.name}" uses a compression this app does not read`);
  if (entry.uncompressedSize > limits.maxBytes) {
    throw new ZipError(
      `"${entry.name}" unpacks to ${formatBytes(entry.uncompressedSize)}, over the ${formatBytes(limits.maxBytes)} this workstation accepts`,
    );
  }
  if (entry.uncompressedSize > MAX_COMPRESSION_RATIO * Math.max(entry.compressedSize, 1)) {
    throw new ZipError(`"${entry.name}" claims a compression ratio no real export has (a zip bomb)`);
  }
  const start = await entryDataOffset(path, entry);
  const source = (await openRegularFile(path)).createReadStream({
    start,
    end: start + entry.compressedSize - 1,
    highWaterMark: 256 * 1024,
  });
  if (entry.compressedSize === 0) source.destroy();
  const stream = entry.method === 8 ? source.pipe(createInflateRaw({ chunkSize: 1024 * 1024 })) : source;
  if (stream !== source) source.on('error', (error) => stream.destroy(error));
  let inflated = 0;
  let crc = 0;
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      inflated += buffer.length;
      if (inflated > entry.uncompressedSize) {
        throw new ZipError(
          `"${entry.name}" unpacks to more than it declares (a zip bomb or a damaged archive)`,
        );
      }
      crc = crc32(buffer, crc);
      yield buffer;
      if (limits.signal?.aborted) return;
    }
  } catch (error) {
    if (error instanceof ZipError) throw error;
    if ((error as NodeJS.ErrnoException).code?.startsWith('Z_')) {
      throw new ZipError(`"${entry.name}" is damaged (${(error as Error).message})`);
    }
    throw error;
  } finally {
    source.destroy();
    stream.destroy();
  }
  if (inflated !== entry.uncompressedSize || crc >>> 0 !== entry.crc32 >>> 0) {
    throw new ZipError(`"${entry.name}" is damaged (its size or checksum does not match)`);
  }
}
