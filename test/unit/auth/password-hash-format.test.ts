/**
 * What a stored password hash may look like, and when it asks to be rewritten at the current cost.
 * Small scrypt costs keep this fast; the default cost is checked in password.test.ts.
 */
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT,
  decoyPasswordHash,
  hashPassword,
  parsePasswordHash,
  verifyPassword,
  type ScryptParams,
} from '../../../main/auth/password';

const CHEAP: ScryptParams = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };
const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
const encoded = (n: string, r: string, p: string, saltBytes = 16, keyBytes = 32, prefix = 'scrypt') =>
  [prefix, n, r, p, b64(saltBytes), b64(keyBytes)].join('$');

describe('reading a stored password hash', () => {
  it('hashes new passwords at the OWASP scrypt cost: N=2^17, r=8, p=1, a 32-byte key', () => {
    expect(DEFAULT_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1, keyLength: 32 });
  });

  it.each([
    ['the smallest valid cost', encoded('2', '1', '1', 8, 16), { N: 2, r: 1, p: 1, keyLength: 16 }],
    ['a usual cost', encoded('131072', '8', '1'), { N: 131072, r: 8, p: 1, keyLength: 32 }],
    [
      'a 64-byte key and parallelism 2',
      encoded('1024', '8', '2', 16, 64),
      { N: 1024, r: 8, p: 2, keyLength: 64 },
    ],
  ])('reads %s', (_why, hash, params) => {
    const parsed = parsePasswordHash(hash);
    expect(parsed?.params).toEqual(params);
    expect(parsed?.salt).toEqual(Buffer.from(hash.split('$')[4]!, 'base64'));
    expect(parsed?.key).toEqual(Buffer.from(hash.split('$')[5]!, 'base64'));
  });

  it.each([
    ['five parts', ['scrypt', '1024', '8', '1', b64(16)].join('$')],
    ['seven parts', `${encoded('1024', '8', '1')}$extra`],
    ['another scheme with the same layout', encoded('1024', '8', '1', 16, 32, 'bcrypt')],
    ['a cost that is not a number', encoded('many', '8', '1')],
    ['a fractional cost', encoded('1024.5', '8', '1')],
    ['a zero cost', encoded('0', '8', '1')],
    ['a negative cost', encoded('-1024', '8', '1')],
    ['a cost of 1', encoded('1', '8', '1')],
    ['a cost that is not a power of two', encoded('1000', '8', '1')],
    ['a zero block size', encoded('1024', '0', '1')],
    ['a negative block size', encoded('1024', '-8', '1')],
    ['a zero parallelism', encoded('1024', '8', '0')],
    ['a negative parallelism', encoded('1024', '8', '-1')],
    ['a fractional parallelism', encoded('1024', '8', '1.5')],
    ['a 15-byte key', encoded('1024', '8', '1', 16, 15)],
    ['a 7-byte salt', encoded('1024', '8', '1', 7, 32)],
  ])('refuses %s', (_why, hash) => {
    expect(parsePasswordHash(hash)).toBeNull();
  });

  it('writes the hash as scrypt$N$r$p$salt$key', async () => {
    const hash = await hashPassword('ward four night', CHEAP);
    const parts = hash.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
    expect(Buffer.from(parts[4]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5]!, 'base64')).toHaveLength(32);
    // A fresh salt each time: the same password never gives the same hash twice.
    const again = await hashPassword('ward four night', CHEAP);
    expect(again.split('$')[4]).not.toBe(parts[4]);
    expect(again).not.toBe(hash);
  });
});

describe('verifying against a hash made at another cost', () => {
  it.each([
    ['the same cost', CHEAP, false],
    ['a higher N now', { ...CHEAP, N: 2 ** 11 }, true],
    ['a higher r now', { ...CHEAP, r: 9 }, true],
    ['a higher p now', { ...CHEAP, p: 2 }, true],
    ['a lower N now', { ...CHEAP, N: 2 ** 9 }, false],
    ['a lower r now', { ...CHEAP, r: 4 }, false],
  ])('with %s, asks for a rehash: %s', async (_why, current, needsRehash) => {
    const hash = await hashPassword('ward four night', CHEAP);
    expect(await verifyPassword('ward four night', hash, current)).toEqual({ valid: true, needsRehash });
    expect(await verifyPassword('ward four nighT', hash, current)).toEqual({ valid: false, needsRehash });
  });

  it('verifies a hash made by scrypt itself at the cost the hash names (N, r and p all used)', async () => {
    const salt = Buffer.from('a salt of sixteen');
    for (const [N, r, p] of [
      [1024, 8, 1],
      [512, 4, 2],
    ] as const) {
      const key = scryptSync('ward four night', salt, 32, { N, r, p });
      const hash = ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
      expect(await verifyPassword('ward four night', hash, { N, r, p, keyLength: 32 })).toEqual({
        valid: true,
        needsRehash: false,
      });
      expect((await verifyPassword('ward four nights', hash, { N, r, p, keyLength: 32 })).valid).toBe(false);
    }
  });

  it('hashes and verifies at the smallest cost a hash may name (N=2, r=1, p=1)', async () => {
    const tiny = { N: 2, r: 1, p: 1, keyLength: 16 };
    const hash = await hashPassword('ward four night', tiny);
    expect(await verifyPassword('ward four night', hash, tiny)).toEqual({ valid: true, needsRehash: false });
  });

  it('verifies a hash with a block size of 16 (the memory limit grows with it)', async () => {
    const params = { N: 2 ** 10, r: 16, p: 1, keyLength: 32 };
    const hash = await hashPassword('ward four night', params);
    expect(await verifyPassword('ward four night', hash, params)).toEqual({
      valid: true,
      needsRehash: false,
    });
  });

  it('refuses a hash it cannot read without asking for a rehash', async () => {
    expect(
      await verifyPassword('ward four night', 'scrypt$1000$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5'),
    ).toEqual({
      valid: false,
      needsRehash: false,
    });
  });

  it('reads a password the same however its accented letters were typed (NFKC)', async () => {
    const composed = 'Am\u00e9lie at bay 3';
    const decomposed = 'Ame\u0301lie at bay 3';
    const hash = await hashPassword(composed, CHEAP);
    expect((await verifyPassword(decomposed, hash, CHEAP)).valid).toBe(true);
    expect((await verifyPassword('Amelie at bay 3', hash, CHEAP)).valid).toBe(false);
  });
});

describe('the decoy hash for unknown usernames', () => {
  it('is made once, at the cost asked, and no ordinary password matches it', async () => {
    const first = decoyPasswordHash(CHEAP);
    expect(decoyPasswordHash(CHEAP)).toBe(first);
    const hash = await first;
    expect(parsePasswordHash(hash)?.params).toEqual(CHEAP);
    for (const guess of ['', 'password', 'admin'])
      expect((await verifyPassword(guess, hash, CHEAP)).valid).toBe(false);
  });
});
