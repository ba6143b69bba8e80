/**
 * Opening an import's file so that nothing but a regular file is read. A pipe (FIFO) blocks open() until
 * someone writes to it, and that wait holds a thread of the pool the whole app shares for its file work;
 * /dev/zero never ends. The file is opened without waiting (O_NONBLOCK, which regular files ignore) and
 * refused unless it is a regular file, so a pipe swapped in after the nurse chose a file is refused too.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export class NotAFileError extends Error {
  override name = 'NotAFileError';
  constructor() {
    super('This is not a file that can be imported (a device or a pipe).');
  }
}

// Windows has no O_NONBLOCK (and no FIFOs at a path): 0 there.
const NO_WAIT = constants.O_NONBLOCK ?? 0;

/** The regular file at `path`, opened for reading; NotAFileError for a pipe, a device or a folder. */
export async function openRegularFile(path: string): Promise<FileHandle> {
  const handle = await open(path, constants.O_RDONLY | NO_WAIT);
  try {
    if (!(await handle.stat()).isFile()) throw new NotAFileError();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** The bytes of the regular file at `path` from `start` to `end` (inclusive), in chunks. */
export async function* regularFileChunks(
  path: string,
  options: { start?: number; end?: number; highWaterMark: number },
): AsyncGenerator<Buffer> {
  const handle = await openRegularFile(path);
  const stream = handle.createReadStream({ ...options, autoClose: true });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    stream.destroy();
  }
}
