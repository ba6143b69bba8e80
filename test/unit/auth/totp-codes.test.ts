/**
 * TOTP codes as people type them (with a space in the middle), the step a code is recorded under (the
 * replay guard rests on it), and the enrolment secret and QR code an authenticator app reads.
 */
import { describe, expect, it } from 'vitest';
import { checkTotp, currentTotp, newTotpSecret, totpQrDataUrl, totpUri } from '../../../main/auth/totp';
import { manualClock } from '../../../main/platform/clock';

const start = new Date('2026-03-01T08:00:10Z');
const stepAt = (date: Date) => Math.floor(date.getTime() / 30_000);

function clockAt(offsetSeconds: number) {
  return manualClock(new Date(start.getTime() + offsetSeconds * 1000));
}

describe('TOTP codes as typed', () => {
  it.each([
    ['with a space in the middle', (c: string) => `${c.slice(0, 3)} ${c.slice(3)}`],
    ['with spaces around it', (c: string) => `  ${c}\t`],
    ['with a space between every digit', (c: string) => c.split('').join(' ')],
  ])('accepts the current code %s', async (_why, typed) => {
    const secret = newTotpSecret();
    const clock = manualClock(start);
    const code = await currentTotp(secret, clock);
    expect(await checkTotp(secret, typed(code), clock, null)).toEqual({
      valid: true,
      timeStep: stepAt(start),
    });
  });

  it.each([
    ['five digits', (c: string) => c.slice(1)],
    ['seven digits', (c: string) => `${c}0`],
    ['a letter before it', (c: string) => `x${c}`],
    ['a letter after it', (c: string) => `${c}x`],
    ['letters in place of digits', () => 'abcdef'],
    ['nothing', () => ''],
  ])('refuses %s as a wrong code', async (_why, typed) => {
    const secret = newTotpSecret();
    const clock = manualClock(start);
    const code = await currentTotp(secret, clock);
    expect(await checkTotp(secret, typed(code), clock, null)).toEqual({ valid: false, reason: 'wrong-code' });
  });

  it.each([
    ['one step ago', -30],
    ['now', 0],
    ['one step ahead', 30],
  ])('records a code from %s under its own step', async (_why, offset) => {
    const secret = newTotpSecret();
    const shown = await currentTotp(secret, clockAt(offset));
    const result = await checkTotp(secret, shown, manualClock(start), null);
    expect(result).toEqual({ valid: true, timeStep: stepAt(start) + offset / 30 });
  });

  it('refuses a code from before the last step used, and accepts the next step', async () => {
    const secret = newTotpSecret();
    const clock = manualClock(start);
    const previous = await currentTotp(secret, clockAt(-30));
    expect(await checkTotp(secret, previous, clock, stepAt(start))).toEqual({
      valid: false,
      reason: 'wrong-code',
    });
    const next = await currentTotp(secret, clockAt(30));
    expect(await checkTotp(secret, next, clock, stepAt(start))).toEqual({
      valid: true,
      timeStep: stepAt(start) + 1,
    });
  });

  it('says the clock is behind once the last step used is two steps ahead of it', async () => {
    const secret = newTotpSecret();
    const clock = manualClock(start);
    const code = await currentTotp(secret, clock);
    expect(await checkTotp(secret, code, clock, stepAt(start) + 2)).toEqual({
      valid: false,
      reason: 'clock-behind',
    });
  });
});

describe('enrolment', () => {
  it('makes a 160-bit base32 secret, a different one each time', () => {
    const a = newTotpSecret();
    const b = newTotpSecret();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Z2-7]+=*$/);
    // 20 bytes are 160 bits: 32 base32 characters.
    expect(a.replace(/=+$/, '')).toHaveLength(32);
  });

  it('names the account and issuer in the URI an authenticator reads', () => {
    const uri = new URL(totpUri('JBSWY3DPEHPK3PXP', 'Vitals Desk', 'nurse.kim'));
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toContain('nurse.kim');
    expect(uri.searchParams.get('issuer')).toBe('Vitals Desk');
  });

  it('draws the QR code 240 pixels wide', async () => {
    const qr = await totpQrDataUrl(totpUri(newTotpSecret(), 'Vitals Desk', 'nurse.kim'));
    const png = Buffer.from(qr.slice('data:image/png;base64,'.length), 'base64');
    // PNG IHDR: width and height are the first two 32-bit words of its data (offset 16 and 20).
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([240, 240]);
  });
});
