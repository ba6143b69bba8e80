/**
 * Dropping a file on the app in the Chromium host. A page in Chromium cannot learn where a dropped file
 * is (there is no preload and no webUtils), and the host must not read any path the page names: the page
 * is untrusted. So the bridge reads the dropped File's bytes in the page and hands them over in chunks;
 * the host writes them to a private copy (its own 0700 directory, 0600 file, a name it makes up) and
 * gives main that copy as the dropped file. The page can only ever give bytes it already has; the name
 * it gives is only shown. Copies are deleted when their window drops more files than it keeps, and all
 * of them when the host closes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Bytes per chunk the page sends (base64 in the binding's JSON). */
export const DROP_CHUNK_BYTES = 1024 * 1024;
const COPIES_PER_PAGE = 5;

interface Upload {
  pageId: string;
  handle: FileHandle;
  file: string;
  fileName: string;
  expected: number;
  received: number;
}

export class DropRefused extends Error {
  override name = 'DropRefused';
}

/** The file's name as shown, from what the page said: a base name, no control characters, bounded. */
export function shownName(name: unknown): string {
  const text = typeof name === 'string' ? name : '';
  // eslint-disable-next-line no-control-regex
  const base = path.basename(text.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '');
  return base.slice(0, 255) || 'dropped file';
}

export function createDropCopies(options: { maxBytes: () => number }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-drops-'));
  const uploads = new Map<string, Upload>();
  const kept = new Map<string, string[]>();
  const forget = async (id: string) => {
    const upload = uploads.get(id);
    if (!upload) return;
    uploads.delete(id);
    await upload.handle.close().catch(() => undefined);
    await rm(upload.file, { force: true });
  };
  const ownUpload = (pageId: string, id: unknown): Upload => {
    const upload = typeof id === 'string' ? uploads.get(id) : undefined;
    if (!upload || upload.pageId !== pageId) throw new DropRefused('That drop is no longer open.');
    return upload;
  };
  return {
    async begin(pageId: string, name: unknown, size: unknown): Promise<string> {
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
        throw new DropRefused('That dropped file could not be read.');
      if (size > options.maxBytes())
        throw new DropRefused('The dropped file is larger than this workstation accepts for an import.');
      // One drop at a time per window: an unfinished one is abandoned.
      for (const [other, upload] of uploads) if (upload.pageId === pageId) await forget(other);
      const id = randomBytes(16).toString('hex');
      const file = path.join(dir, `${id}.drop`);
      const handle = await open(file, 'wx', 0o600);
      uploads.set(id, { pageId, handle, file, fileName: shownName(name), expected: size, received: 0 });
      return id;
    },
    async chunk(pageId: string, id: unknown, base64: unknown): Promise<void> {
      const upload = ownUpload(pageId, id);
      if (typeof base64 !== 'string' || base64.length > Math.ceil(DROP_CHUNK_BYTES / 3) * 4 + 4) {
        await forget(id as string);
        throw new DropRefused('That dropped file could not be read.');
      }
      const bytes = Buffer.from(base64, 'base64');
      if (upload.received + bytes.length > upload.expected) {
        await forget(id as string);
        throw new DropRefused('The dropped file is larger than it said.');
      }
      await upload.handle.write(bytes);
      upload.received += bytes.length;
    },
    /** The finished copy, as main should see it: a path only the host made, and the shown name. */
    async end(pageId: string, id: unknown): Promise<{ path: string; fileName: string }> {
      const upload = ownUpload(pageId, id);
      if (upload.received !== upload.expected) {
        await forget(id as string);
        throw new DropRefused('The dropped file did not arrive whole. Drop it again.');
      }
      uploads.delete(id as string);
      await upload.handle.close();
      const mine = [...(kept.get(pageId) ?? []), upload.file];
      while (mine.length > COPIES_PER_PAGE) await rm(mine.shift()!, { force: true });
      kept.set(pageId, mine);
      return { path: upload.file, fileName: upload.fileName };
    },
    close(): void {
      for (const upload of uploads.values()) void upload.handle.close().catch(() => undefined);
      uploads.clear();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
