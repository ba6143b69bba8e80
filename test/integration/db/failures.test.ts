/**
 * What the user is told, and that the file survives, when the database cannot be used: damaged file,
 * file from a newer version, read-only location, full disk. Real files; the read-only and full-disk
 * cases mount a small tmpfs, which needs root on Linux. Without it they are skipped under a name that
 * says so, with a warning on the console; a CI runner that can mount sets VITALS_REQUIRE_FS_FAULTS=1,
 * and then a case that cannot run fails instead of skipping.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import { applyKey, openDatabase } from '../../../main/db/connection';
import { withDbErrors } from '../../../main/db/errors';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../../shared/ipc';
import { errorOf, randomKey, sha256, tempDir } from './helpers';

/** A database with some pages of content, closed (checkpointed, no -wal left). */
function populated(file: string, key: Buffer): void {
  const db = openDatabase({ file, key });
  db.exec('CREATE TABLE filler (n INTEGER, text TEXT)');
  const insert = db.prepare('INSERT INTO filler VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(i, `row ${i} `.repeat(10));
  })();
  db.close();
}

const mounts: string[] = [];
afterEach(() => {
  for (const dir of mounts.splice(0)) {
    try {
      execFileSync('umount', [dir], { stdio: 'ignore' });
    } catch {
      // already unmounted
    }
  }
});

/** Mounts a tmpfs of `size` at a new directory, or returns the reason it cannot. */
function mountTmpfs(size: string): { dir: string } | { reason: string } {
  const dir = tempDir('vd-tmpfs-');
  if (process.platform !== 'linux') return { reason: 'tmpfs mounts need Linux' };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    return {
      reason: `cannot mount a tmpfs here (${error instanceof Error ? error.message.split('\n')[0] : 'error'})`,
    };
  }
  mounts.push(dir);
  return { dir };
}

/** A tmpfs for a file-system fault, or a loud skip (a failure where the runner promised it can mount). */
function faultMount(ctx: TestContext, size: string, what: string): { dir: string } {
  const mount = mountTmpfs(size);
  if ('dir' in mount) return mount;
  const note = `NOT RUN: the ${what} check needs a tmpfs mount (${mount.reason})`;
  if (process.env.VITALS_REQUIRE_FS_FAULTS === '1') throw new Error(note);
  console.warn(note);
  return ctx.skip(note);
}

describe('database failures', () => {
  it('reports a damaged file as DB_CORRUPT and does not write to it', () => {
    const file = path.join(tempDir(), 'vitals.db');
    const key = randomKey();
    populated(file, key);
    // Flip bytes in the middle of page 5: page 1 stays readable, so the key is accepted.
    const fd = openSync(file, 'r+');
    const junk = randomBytes(64);
    writeSync(fd, junk, 0, junk.length, 4096 * 4 + 1000);
    closeSync(fd);
    const before = sha256(file);
    const error = errorOf(() => openDatabase({ file, key }));
    expect(error.code).toBe('DB_CORRUPT');
    expect(error.message).toMatch(/damaged/);
    expect(sha256(file)).toBe(before);
  });

  it('refuses a file from a newer version with DB_TOO_NEW and leaves it unchanged', () => {
    const file = path.join(tempDir(), 'vitals.db');
    const key = randomKey();
    openDatabase({ file, key }).close();
    const raw = new BetterSqlite3(file);
    applyKey(raw, key);
    raw.pragma('user_version = 999');
    raw.close();
    const before = sha256(file);
    const error = errorOf(() => openDatabase({ file, key }));
    expect(error.code).toBe('DB_TOO_NEW');
    expect(error.message).toMatch(/newer version/);
    expect(sha256(file)).toBe(before);
  });

  it('reports a read-only location as DB_READ_ONLY, for a new file and for an existing one', (ctx) => {
    const mount = faultMount(ctx, '4m', 'read-only location');
    const key = randomKey();
    const file = path.join(mount.dir, 'vitals.db');
    populated(file, key);
    const before = sha256(file);
    execFileSync('mount', ['-o', 'remount,ro', mount.dir]);
    expect(errorOf(() => openDatabase({ file, key })).code).toBe('DB_READ_ONLY');
    expect(errorOf(() => openDatabase({ file: path.join(mount.dir, 'new.db'), key })).code).toBe(
      'DB_READ_ONLY',
    );
    expect(sha256(file)).toBe(before);
  });

  it('reports a full disk as DISK_FULL and keeps every row committed before it', (ctx) => {
    const mount = faultMount(ctx, '2m', 'full disk');
    const key = randomKey();
    const file = path.join(mount.dir, 'vitals.db');
    // Ballast, deleted at the end to make room to reopen and check.
    const ballast = path.join(mount.dir, 'ballast');
    writeFileSync(ballast, Buffer.alloc(256 * 1024));
    const db = openDatabase({ file, key });
    db.exec('CREATE TABLE filler (n INTEGER PRIMARY KEY, blob BLOB)');
    const insert = db.prepare('INSERT INTO filler VALUES (?, ?)');
    let committed = 0;
    let failure: AppError | undefined;
    for (let n = 1; n < 10_000 && !failure; n++) {
      try {
        withDbErrors(() => insert.run(n, randomBytes(16 * 1024)));
        committed = n;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        failure = error;
      }
    }
    expect(failure?.code).toBe('DISK_FULL');
    expect(failure?.message).toMatch(/disk is full/);
    expect(committed).toBeGreaterThan(10);
    try {
      db.close();
    } catch {
      // closing may fail to checkpoint on a full disk; the WAL keeps the commits
    }
    rmSync(ballast);
    const again = openDatabase({ file, key });
    expect(again.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(committed);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
  });
});
