import { describe, expect, it } from 'vitest';
import { hashPassword, parsePasswordHash, verifyPassword, DEFAULT_SCRYPT } from '../../../main/auth/password';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', hash)).toEqual({ valid: true, needsRehash: false });
    expect((await verifyPassword('correct horse batterY', hash)).valid).toBe(false);
    expect((await verifyPassword('', hash)).valid).toBe(false);
  });

  it('stores its parameters and a fresh 16-byte salt with each hash', async () => {
    const a = await hashPassword('same password here');
    const b = await hashPassword('same password here');
    expect(a).not.toBe(b);
    const parsed = parsePasswordHash(a);
    expect(parsed?.params).toEqual(DEFAULT_SCRYPT);
    expect(parsed?.params.N).toBe(2 ** 17);
    expect(parsed?.salt.length).toBe(16);
    expect(a.startsWith(`scrypt$${2 ** 17}$8$1$`)).toBe(true);
  });

  it('still verifies a hash made with weaker parameters, and asks for a rehash', async () => {
    const weak = await hashPassword('an older password', { N: 2 ** 10, r: 8, p: 1, keyLength: 32 });
    expect(await verifyPassword('an older password', weak)).toEqual({ valid: true, needsRehash: true });
    // A hash from before the cost went up to 2^17 (2^15 was the earlier default).
    const earlier = await hashPassword('an older password', { N: 2 ** 15, r: 8, p: 1, keyLength: 32 });
    expect(await verifyPassword('an older password', earlier)).toEqual({ valid: true, needsRehash: true });
  });

  it('treats a malformed or foreign hash as a wrong password', async () => {
    for (const bad of ['', 'plain', '$2b$12$abcdefghijklmnopqrstuv', 'scrypt$1000$8$1$c2FsdA==$a2V5']) {
      expect((await verifyPassword('anything', bad)).valid).toBe(false);
    }
  });
});
