/**
 * The table of contents of a zip file (its central directory, PKWARE APPNOTE 6.3.x §4.3.12-16, with the
 * zip64 records of §4.3.14-15 that an iPhone writes for exports over 4 GB), read from the end of the file
 * without reading the members. Names that would leave the folder they are unpacked into (`../`, absolute,
 * drive letters, backslashes) make the whole archive refused: nothing here unpacks to disk, but an
 * archive built that way is not an honest health export.
 */
import type { FileHandle } from 'node:fs/promises';
import { openRegularFile } from '../regular-file';

export interface ZipEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  /** 0 stored, 8 deflate. */
  method: number;
  crc32: number;
  encrypted: boolean;
  localHeaderOffset: number;
}

export class ZipError extends Error {
  override name = 'ZipError';
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;
/** A health export has a few thousand members at most (ECGs, workout routes). */
export const MAX_ENTRIES = 100_000;
const MAX_CENTRAL_BYTES = 64 * 1024 * 1024;

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new ZipError('the archive is cut short');
  return buffer;
}

/** Why a member name is refused, or undefined when it is a plain relative path. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.includes('\\')) return 'a backslash in a member name';
  if (name.includes('\0')) return 'a NUL byte in a member name';
  if (name.startsWith('/')) return 'an absolute member path';
  if (/^[a-zA-Z]:/.test(name)) return 'a drive letter in a member name';
  if (name.split('/').some((part) => part === '..'))
    return 'a member name that climbs out of its folder (../)';
  return undefined;
}

interface Directory {
  entries: number;
  size: number;
  offset: number;
}

async function findDirectory(file: FileHandle, fileSize: number): Promise<Directory> {
  if (fileSize < EOCD_MIN) throw new ZipError('the file is too short to be a zip');
  const tailLength = Math.min(fileSize, EOCD_MIN + MAX_COMMENT);
  const tail = await readAt(file, fileSize - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      at = i;
      break;
    }
  }
  if (at === -1) throw new ZipError('no zip directory at its end (the download may be incomplete)');
  let entries = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locatorPos = fileSize - tailLength + at - 20;
    if (locatorPos < 0) throw new ZipError('a zip64 archive without its locator');
    const locator = await readAt(file, locatorPos, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIG)
      throw new ZipError('a zip64 archive without its locator');
    const zip64Pos = Number(locator.readBigUInt64LE(8));
    if (zip64Pos + 56 > fileSize) throw new ZipError('the zip64 directory points outside the file');
    const zip64 = await readAt(file, zip64Pos, 56);
    if (zip64.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw new ZipError('the zip64 directory record is damaged');
    entries = Number(zip64.readBigUInt64LE(32));
    size = Number(zip64.readBigUInt64LE(40));
    offset = Number(zip64.readBigUInt64LE(48));
  }
  if (entries > MAX_ENTRIES) throw new ZipError(`${entries} members, more than a health export holds`);
  if (offset + size > fileSize || size > MAX_CENTRAL_BYTES)
    throw new ZipError('the zip directory points outside the file');
  return { entries, size, offset };
}

/** Sizes and offset from the zip64 extra field (§4.5.3), for the fields the fixed header marks 0xFFFFFFFF. */
function applyZip64(extra: Buffer, entry: ZipEntry): void {
  let i = 0;
  while (i + 4 <= extra.length) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let p = i + 4;
      const next = (): number => {
        if (p + 8 > i + 4 + length) throw new ZipError('a damaged zip64 field');
        const value = Number(extra.readBigUInt64LE(p));
        p += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    i += 4 + length;
  }
}

/** Every member of the archive at `path`, checked for unsafe names. Throws ZipError for a damaged zip. */
export async function listZipEntries(path: string, fileSize: number): Promise<ZipEntry[]> {
  const file = await openRegularFile(path);
  try {
    const directory = await findDirectory(file, fileSize);
    const central = await readAt(file, directory.offset, directory.size);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let n = 0; n < directory.entries; n++) {
      if (p + 46 > central.length || central.readUInt32LE(p) !== CENTRAL_SIG) {
        throw new ZipError('the zip directory is damaged');
      }
      const nameLength = central.readUInt16LE(p + 28);
      const extraLength = central.readUInt16LE(p + 30);
      const commentLength = central.readUInt16LE(p + 32);
      if (p + 46 + nameLength + extraLength > central.length)
        throw new ZipError('the zip directory is damaged');
      const name = central.toString('utf8', p + 46, p + 46 + nameLength);
      const entry: ZipEntry = {
        name,
        method: central.readUInt16LE(p + 10),
        encrypted: (central.readUInt16LE(p + 8) & 1) === 1,
        crc32: central.readUInt32LE(p + 16),
        compressedSize: central.readUInt32LE(p + 20),
        uncompressedSize: central.readUInt32LE(p + 24),
        localHeaderOffset: central.readUInt32LE(p + 42),
      };
      applyZip64(central.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), entry);
      const unsafe = unsafeEntryName(name);
      if (unsafe) throw new ZipError(`${unsafe}: "${name.slice(0, 200)}"`);
      if (entry.localHeaderOffset + 30 + entry.compressedSize > fileSize) {
        throw new ZipError(`the member "${name.slice(0, 200)}" reaches past the end of the file`);
      }
      entries.push(entry);
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await file.close();
  }
}

/** Where the member's data starts: after its local header, whose name must match the directory's. */
export async function entryDataOffset(path: string, entry: ZipEntry): Promise<number> {
  const file = await openRegularFile(path);
  try {
    const header = await readAt(file, entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL_SIG) throw new ZipError(`the member "${entry.name}" is damaged`);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const name = (await readAt(file, entry.localHeaderOffset + 30, nameLength)).toString('utf8');
    if (name !== entry.name)
      throw new ZipError(`the member "${entry.name}" is named differently inside the archive`);
    return entry.localHeaderOffset + 30 + nameLength + extraLength;
  } finally {
    await file.close();
  }
}
