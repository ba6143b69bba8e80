import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId } from '../../../main/db/ids';

describe('newId (UUID version 7, RFC 9562 section 5.7)', () => {
  it('has the UUID form, version 7 and variant 10, and passes the contract’s uuid check', () => {
    for (let i = 0; i < 200; i++) {
      const id = newId();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(z.string().uuid().safeParse(id).success).toBe(true);
    }
  });

  it('carries the millisecond time in its first 48 bits, so later ids sort after earlier ones', () => {
    const at = Date.parse('2026-03-01T09:00:00.123Z');
    const id = newId(at);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    const ids = [newId(at), newId(at + 1), newId(at + 1000), newId(at + 86_400_000)];
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs between ids made in the same millisecond', () => {
    const at = Date.now();
    expect(new Set(Array.from({ length: 1000 }, () => newId(at))).size).toBe(1000);
  });
});
