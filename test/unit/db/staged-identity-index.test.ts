/**
 * The in-memory table of staged identity hashes that finds duplicates in an import's file: every hash
 * added is found with every row it was staged as, through growth and through hashes that share a slot.
 */
import { describe, expect, it } from 'vitest';
import { StagedIdentityIndex } from '../../../main/db/staged-identity-index';

/** Hashes as the identity hash gives them: 53-bit, well mixed in the low bits. */
function hashes(count: number, seed = 1): number[] {
  const out: number[] = [];
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    out.push((x % 0x200000) * 0x100000000 + ((x * 2654435761) >>> 0));
  }
  return [...new Set(out)];
}

describe('staged identity index', () => {
  it('finds nothing for a hash not added, and the row of one added', () => {
    const index = new StagedIdentityIndex(16);
    expect(index.find(12345)).toEqual([]);
    index.add(12345, 7);
    expect(index.find(12345)).toEqual([7]);
    expect(index.find(12346)).toEqual([]);
    expect(index.size).toBe(1);
  });

  it('keeps every entry through several doublings of its table', () => {
    const index = new StagedIdentityIndex(4);
    const all = hashes(5000);
    all.forEach((h, i) => index.add(h, i + 1));
    expect(index.size).toBe(all.length);
    all.forEach((h, i) => expect(index.find(h)).toEqual([i + 1]));
    for (const h of hashes(200, 99)) if (!all.includes(h)) expect(index.find(h)).toEqual([]);
  });

  it('keeps hashes that land on the same slot apart (the low 32 bits equal)', () => {
    const index = new StagedIdentityIndex(8);
    // Same low 32 bits, different high bits: one slot, three distinct hashes.
    const low = 0x1234_5678;
    const same = [low, 0x1_0000_0000 + low, 0x5_0000_0000 + low];
    same.forEach((h, i) => index.add(h, 100 + i));
    same.forEach((h, i) => expect(index.find(h)).toEqual([100 + i]));
    // Still apart after the table grows past them.
    for (let i = 0; i < 64; i++) index.add(0x9_0000_0000 + i, 1000 + i);
    same.forEach((h, i) => expect(index.find(h)).toEqual([100 + i]));
  });

  it('finds both rows of two identities that share one hash', () => {
    const index = new StagedIdentityIndex(8);
    index.add(42, 1);
    index.add(43, 2);
    index.add(42, 3);
    expect(index.find(42)).toEqual([1, 3]);
    expect(index.find(43)).toEqual([2]);
    // A shared hash is one entry of the table, its second row kept beside it.
    expect(index.size).toBe(2);
    for (let i = 0; i < 100; i++) index.add(1_000_000 + i, 10 + i);
    expect(index.find(42)).toEqual([1, 3]);
  });

  it('lists every (hash, row), shared hashes included', () => {
    const index = new StagedIdentityIndex(4);
    const all = hashes(300, 7);
    all.forEach((h, i) => index.add(h, i + 1));
    index.add(all[0]!, 9999);
    index.add(all[10]!, 8888);
    const listed = [...index.entries()].map(([h, seq]) => `${h}:${seq}`).sort();
    const expected = [...all.map((h, i) => `${h}:${i + 1}`), `${all[0]}:9999`, `${all[10]}:8888`].sort();
    expect(listed).toEqual(expected);
  });

  it('holds the smallest and the largest hash (0 and 2^53 - 1)', () => {
    const index = new StagedIdentityIndex(2);
    const top = Number.MAX_SAFE_INTEGER;
    index.add(0, 1);
    index.add(top, 2);
    index.add(top - 1, 3);
    for (let i = 1; i <= 40; i++) index.add(i * 977, 10 + i);
    expect(index.find(0)).toEqual([1]);
    expect(index.find(top)).toEqual([2]);
    expect(index.find(top - 1)).toEqual([3]);
    const listed = new Map([...index.entries()]);
    expect(listed.get(0)).toBe(1);
    expect(listed.get(top)).toBe(2);
    // Rows as large as a later part's (numbered from 2^31) keep their number.
    index.add(555, 0x8000_0001);
    expect(index.find(555)).toEqual([0x8000_0001]);
  });
});
