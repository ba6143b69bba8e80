import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, matchRecoveryCode, newRecoveryCodes } from '../../../main/auth/recovery-codes';

describe('recovery codes', () => {
  it('makes ten distinct readable codes', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  it('matches a code typed loosely against its salted hash, and nothing else', () => {
    const codes = newRecoveryCodes();
    const hashes = codes.map((c) => hashRecoveryCode(c, 'salt-1'));
    expect(hashes.join()).not.toContain(codes[0]!);
    expect(matchRecoveryCode(codes[3]!, 'salt-1', hashes)).toBe(3);
    expect(matchRecoveryCode(` ${codes[3]!.toLowerCase().replace('-', ' ')} `, 'salt-1', hashes)).toBe(3);
    expect(matchRecoveryCode(codes[3]!, 'salt-2', hashes)).toBe(-1);
    expect(matchRecoveryCode('00000-00000', 'salt-1', hashes)).toBe(-1);
  });
});
