/**
 * The Chromium host's copies of dropped files (scripts/chromium-drop.ts): the page, which the host does
 * not trust, can hand over only bytes; the copy's path is the host's own, its name only shown. These
 * tests play the page's part with hostile input.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDropCopies, DROP_CHUNK_BYTES, shownName } from '../../../scripts/chromium-drop';

const b64 = (text: string) => Buffer.from(text).toString('base64');
let copies: ReturnType<typeof createDropCopies> | undefined;
afterEach(() => copies?.close());

describe('dropped files in the Chromium host', () => {
  it('copies the dropped bytes to a private file of its own naming', async () => {
    copies = createDropCopies({ maxBytes: () => 1000 });
    const id = await copies.begin('page-1', '/etc/passwd', 11);
    await copies.chunk('page-1', id, b64('hello '));
    await copies.chunk('page-1', id, b64('world'));
    const copy = await copies.end('page-1', id);
    expect(copy.fileName).toBe('passwd');
    expect(copy.path).not.toContain('passwd');
    expect(readFileSync(copy.path, 'utf8')).toBe('hello world');
    expect(statSync(copy.path).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(copy.path)).mode & 0o777).toBe(0o700);
  });

  it('refuses a drop over the policy’s size, more bytes than announced, or an unfinished one', async () => {
    copies = createDropCopies({ maxBytes: () => 10 });
    await expect(copies.begin('p', 'big.csv', 11)).rejects.toThrow(/larger than this workstation accepts/);
    await expect(copies.begin('p', 'x.csv', -1)).rejects.toThrow(/could not be read/);
    const id = await copies.begin('p', 'x.csv', 4);
    await expect(copies.chunk('p', id, b64('12345'))).rejects.toThrow(/larger than it said/);
    await expect(copies.end('p', id)).rejects.toThrow(/no longer open/);
    const short = await copies.begin('p', 'y.csv', 4);
    await copies.chunk('p', short, b64('12'));
    await expect(copies.end('p', short)).rejects.toThrow(/did not arrive whole/);
    const huge = await copies.begin('p', 'z.csv', 8);
    await expect(copies.chunk('p', huge, 'A'.repeat((DROP_CHUNK_BYTES / 3) * 4 + 100))).rejects.toThrow(
      /could not be read/,
    );
  });

  it('lets no page finish or feed another page’s drop, or name one', async () => {
    copies = createDropCopies({ maxBytes: () => 100 });
    const id = await copies.begin('page-1', 'a.csv', 2);
    await expect(copies.chunk('page-2', id, b64('ab'))).rejects.toThrow(/no longer open/);
    await expect(copies.end('page-2', id)).rejects.toThrow(/no longer open/);
    await expect(copies.end('page-1', '../../etc/passwd')).rejects.toThrow(/no longer open/);
    await copies.chunk('page-1', id, b64('ab'));
    expect((await copies.end('page-1', id)).fileName).toBe('a.csv');
  });

  it('keeps a window’s newest five copies and deletes them all on close', async () => {
    copies = createDropCopies({ maxBytes: () => 100 });
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = await copies.begin('p', `f${i}.csv`, 1);
      await copies.chunk('p', id, b64('x'));
      made.push((await copies.end('p', id)).path);
    }
    expect(made.map((f) => existsSync(f))).toEqual([false, false, true, true, true, true, true]);
    copies.close();
    expect(made.some((f) => existsSync(f))).toBe(false);
    copies = undefined;
  });

  it('shows a base name without control characters', () => {
    expect(shownName('C:\\Users\\nurse\\bp.csv')).toBe('bp.csv');
    expect(shownName('bp\u0007\u001b.csv')).toBe('bp.csv');
    expect(shownName('')).toBe('dropped file');
    expect(shownName(42)).toBe('dropped file');
  });
});
