/**
 * Time-based one-time passwords (RFC 6238) through otplib: SHA-1, 6 digits, 30-second steps, the
 * parameters every common authenticator app reads from an `otpauth://` URI. Time comes from the
 * injected clock, so tests run at a fixed instant.
 */
import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Clock } from '../platform/clock';

export const TOTP_PERIOD_SECONDS = 30;
/** One step either side: RFC 6238 §5.2 recommends allowing at most one step of network/clock delay. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

export function newTotpSecret(): string {
  // 20 random bytes (160 bits), the HMAC-SHA-1 key length RFC 4226 §4 recommends.
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, issuer: string, accountName: string): string {
  return generateURI({ issuer, label: accountName, secret });
}

export async function totpQrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now().getTime() / 1000);
}

/** The code an authenticator shows at the clock's current time (tests and the setup helper). */
export function currentTotp(secret: string, clock: Clock): Promise<string> {
  return generate({ secret, epoch: epochSeconds(clock) });
}

export type TotpCheck =
  | { valid: true; timeStep: number }
  /**
   * `clock-behind`: this computer's clock is earlier than the step of a code the account already used
   * (the clock was set back): no code can be accepted until it catches up, and nobody typed anything wrong.
   */
  | { valid: false; reason: 'wrong-code' | 'clock-behind' };

/**
 * Checks a code. `lastTimeStep` is the step of the last code this account used: a code from that step
 * or earlier is refused, so an overheard code cannot be replayed (RFC 6238 §5.2).
 */
export async function checkTotp(
  secret: string,
  token: string,
  clock: Clock,
  lastTimeStep: number | null,
): Promise<TotpCheck> {
  const trimmed = token.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(trimmed)) return { valid: false, reason: 'wrong-code' };
  const currentStep = Math.floor(epochSeconds(clock) / TOTP_PERIOD_SECONDS);
  // otplib throws when the last used step lies beyond the window; that is a clock fact, not a bad code.
  if (lastTimeStep !== null && lastTimeStep > currentStep + TOLERANCE_SECONDS / TOTP_PERIOD_SECONDS)
    return { valid: false, reason: 'clock-behind' };
  const result = await verify({
    secret,
    token: trimmed,
    epoch: epochSeconds(clock),
    epochTolerance: TOLERANCE_SECONDS,
    ...(lastTimeStep !== null ? { afterTimeStep: lastTimeStep } : {}),
  });
  if (!result.valid) return { valid: false, reason: 'wrong-code' };
  // The TOTP strategy reports the matched step; derive it from the offset if a result lacks it.
  const timeStep =
    'timeStep' in result && typeof result.timeStep === 'number'
      ? result.timeStep
      : Math.floor(epochSeconds(clock) / TOTP_PERIOD_SECONDS) + result.delta;
  return { valid: true, timeStep };
}
