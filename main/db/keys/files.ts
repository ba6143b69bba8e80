/** Small, careful file writes for key material: 0600, fsync, atomic rename. */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export function writeSecretFile(file: string, contents: Buffer | string): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, typeof contents === 'string' ? Buffer.from(contents) : contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The new name too: a staged key must be on disk before anything that relies on it.
  syncDirectory(path.dirname(file));
}

/**
 * A new secret file: written beside it (`<file>.next`, or `beside`), then renamed over it, so a crash
 * never leaves a half-written key at `file`.
 */
export function writeSecretFileAtomically(
  file: string,
  contents: Buffer | string,
  beside = `${file}.next`,
): void {
  writeSecretFile(beside, contents);
  renameDurably(beside, file);
}

/** Renames and syncs the directory, so the rename itself survives a power cut. */
export function renameDurably(from: string, to: string): void {
  renameSync(from, to);
  syncDirectory(path.dirname(to));
}

/** Makes the folder's entries (new, renamed and removed names) durable. */
export function syncDirectory(directory: string): void {
  try {
    const dir = openSync(directory, 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Directory fsync is not supported on every platform (Windows); the rename is still atomic.
  }
}

export function removeIfPresent(file: string): void {
  rmSync(file, { force: true });
}
