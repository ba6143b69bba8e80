import { describe, expect, it } from 'vitest';
import { newPasswordSchema } from '../../../shared/ipc/channels/auth';
import { isCommonPassword } from '../../../main/auth/password-rules';
import { COMMON_PASSWORDS_TEXT } from '../../../main/auth/common-passwords.data';

describe('new password rules', () => {
  it('refuses fewer than 12 characters', () => {
    expect(newPasswordSchema.safeParse('elevenchars').success).toBe(false);
    expect(newPasswordSchema.safeParse('twelve chars').success).toBe(true);
  });

  it('bundles the 10,000 most common passwords, lower case, most common first', () => {
    const list = COMMON_PASSWORDS_TEXT.split('\n');
    expect(list).toHaveLength(10_000);
    expect(list.slice(0, 2)).toEqual(['123456', 'password']);
    expect(list.every((p) => p === p.toLowerCase() && p.length > 0)).toBe(true);
  });

  it.each([
    ['on the list, 12 characters or more', 'qwerty123456'],
    ['on the list, any case', 'QwErTyUiOp'],
    ['on the list with digits after it', 'password2024'],
    ['on the list with symbols and digits around it', '!!dragon12345!!'],
    ['on the list with spaces after it', 'iloveyou    '],
    ['on the list, twice', 'monkeymonkey'],
    ['one character over and over', 'aaaaaaaaaaaaaaaa'],
    ['one digit over and over', '111111111111'],
    ['on the list in full-width letters (NFKC)', 'ｐａｓｓｗｏｒｄ１２３４'],
  ])('refuses a password %s', (_why, password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it.each([
    ['a few unrelated words', 'correct horse battery staple'],
    ['a sentence', 'the kettle sings at seven'],
    ['a short list word inside other text', 'cat1234 walks home'],
    ['letters outside ASCII', 'ñandú corre rápido'],
  ])('accepts %s', (_why, password) => {
    expect(isCommonPassword(password)).toBe(false);
  });
});
