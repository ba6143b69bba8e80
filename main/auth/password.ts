/**
 * Password hashing with scrypt (RFC 7914) from node:crypto. The parameters travel with each hash
 * (`scrypt$N$r$p$salt$hash`), so the cost can be raised later and old hashes still verify; a hash
 * made with weaker parameters than the current ones is reported so it can be upgraded at sign-in.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
  /** Derived key length in bytes. */
  keyLength: number;
}

/**
 * N=2^17, r=8, p=1 (128 MiB per hash): the cost OWASP's Password Storage Cheat Sheet gives for scrypt.
 * The parameters are stored with each hash, so a hash made at a lower cost still verifies and is
 * rewritten at this cost at the account's next good sign-in. `npm run bench -- auth` measures it.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1, keyLength: 32 };

const SALT_BYTES = 16;
const PREFIX = 'scrypt';

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    // Node refuses when 128*N*r exceeds maxmem; leave headroom for the configured cost.
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, params.keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, params);
  return [PREFIX, params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

/** Reads an encoded hash; null when it is not one this module wrote. */
export function parsePasswordHash(encoded: string): ParsedHash | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (![N, R, P].every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  // N must be a power of two above 1 (RFC 7914 §2).
  if (N < 2 || (N & (N - 1)) !== 0) return null;
  const keyBuffer = Buffer.from(key, 'base64');
  const saltBuffer = Buffer.from(salt, 'base64');
  if (keyBuffer.length < 16 || saltBuffer.length < 8) return null;
  return { params: { N, r: R, p: P, keyLength: keyBuffer.length }, salt: saltBuffer, key: keyBuffer };
}

export interface PasswordCheck {
  valid: boolean;
  /** True when the stored hash used weaker parameters than `current`: rehash after a good sign-in. */
  needsRehash: boolean;
}

export async function verifyPassword(
  password: string,
  encoded: string,
  current: ScryptParams = DEFAULT_SCRYPT,
): Promise<PasswordCheck> {
  const parsed = parsePasswordHash(encoded);
  if (!parsed) return { valid: false, needsRehash: false };
  const key = await scrypt(password, parsed.salt, parsed.params);
  const valid = key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  const needsRehash =
    parsed.params.N < current.N || parsed.params.r < current.r || parsed.params.p < current.p;
  return { valid, needsRehash };
}

/**
 * A hash of a random password, computed once: signing in as an unknown user still costs one scrypt,
 * so the time taken does not tell whether the username exists.
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'), params);
  return decoyHash;
}
