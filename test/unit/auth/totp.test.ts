import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkTotp, currentTotp, newTotpSecret, totpQrDataUrl, totpUri } from '../../../main/auth/totp';
import { manualClock } from '../../../main/platform/clock';

/** RFC 4648 base32 decoding, to compute the expected code independently of otplib. */
function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of text.replace(/=+$/, '')) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((b) => parseInt(b, 2)));
}

/** RFC 6238 §4 / RFC 4226 §5.3, written out: HMAC-SHA-1 of the step counter, dynamic truncation. */
function referenceTotp(secret: string, unixSeconds: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

describe('TOTP (RFC 6238) on a fixed clock', () => {
  const start = new Date('2026-03-01T08:00:10Z');

  it('computes the same code as the RFC algorithm written out', async () => {
    const secret = newTotpSecret();
    const clock = manualClock(start);
    expect(await currentTotp(secret, clock)).toBe(referenceTotp(secret, start.getTime() / 1000));
  });

  it('accepts the current code and one step either side, not two', async () => {
    const secret = newTotpSecret();
    const clock = manualClock(start);
    const t = start.getTime() / 1000;
    expect((await checkTotp(secret, referenceTotp(secret, t), clock, null)).valid).toBe(true);
    expect((await checkTotp(secret, referenceTotp(secret, t - 30), clock, null)).valid).toBe(true);
    expect((await checkTotp(secret, referenceTotp(secret, t + 30), clock, null)).valid).toBe(true);
    const twoBack = referenceTotp(secret, t - 60);
    const near = [t - 30, t, t + 30].map((x) => referenceTotp(secret, x));
    if (!near.includes(twoBack)) expect((await checkTotp(secret, twoBack, clock, null)).valid).toBe(false);
  });

  it('refuses a code replayed in the same step', async () => {
    const secret = newTotpSecret();
    const clock = manualClock(start);
    const code = await currentTotp(secret, clock);
    const first = await checkTotp(secret, code, clock, null);
    expect(first.valid).toBe(true);
    if (!first.valid) return;
    expect((await checkTotp(secret, code, clock, first.timeStep)).valid).toBe(false);
    clock.advance(30_000);
    const next = await currentTotp(secret, clock);
    expect((await checkTotp(secret, next, clock, first.timeStep)).valid).toBe(true);
  });

  it('says the clock is behind (rather than failing inside) when the last used step is ahead of it', async () => {
    const secret = newTotpSecret();
    const clock = manualClock(start);
    const used = Math.floor(start.getTime() / 30_000);
    // One step ahead is within the window: an ordinary refusal (no later step can be given yet).
    expect(await checkTotp(secret, await currentTotp(secret, clock), clock, used + 1)).toEqual({
      valid: false,
      reason: 'wrong-code',
    });
    // The clock was set back ten minutes after a code was used.
    clock.advance(-10 * 60_000);
    expect(await checkTotp(secret, await currentTotp(secret, clock), clock, used)).toEqual({
      valid: false,
      reason: 'clock-behind',
    });
  });

  it('refuses malformed codes', async () => {
    const secret = newTotpSecret();
    const clock = manualClock(start);
    for (const bad of ['', '12345', '1234567', 'abcdef']) {
      expect((await checkTotp(secret, bad, clock, null)).valid).toBe(false);
    }
  });

  it('makes an otpauth URI and a PNG QR code of it', async () => {
    const secret = newTotpSecret();
    const uri = totpUri(secret, 'Vitals Desk', 'nurse.kim');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(uri).searchParams.get('secret')).toBe(secret);
    expect(new URL(uri).searchParams.get('issuer')).toBe('Vitals Desk');
    const qr = await totpQrDataUrl(uri);
    expect(qr.startsWith('data:image/png;base64,')).toBe(true);
    const png = Buffer.from(qr.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  });
});
