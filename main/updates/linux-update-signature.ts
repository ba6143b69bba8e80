/**
 * Linux update packages (AppImage, deb, rpm) carry no signature electron-updater checks: its only check
 * is the sha512 written in the feed, which whoever controls the feed also writes. So each package is
 * published with `<file>.sig`, an Ed25519 signature by the release key over the file's name, version and
 * SHA-512, and the app installs a download only when that signature verifies under the public key baked
 * into its build. Plain Node: the Electron side (main/app/updater.ts) only wires it to electron-updater.
 *
 * The signed text must stay byte-for-byte what build/update-signature.cjs signs.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const SIGNATURE_FORMAT = 'vitals-desk-update-signature/1';
/** A signature file is a few hundred bytes; anything far larger is not one. */
export const MAX_SIGNATURE_BYTES = 4096;

export type UpdateSignatureRefusal =
  | 'no-signing-key'
  | 'signature-unavailable'
  | 'malformed-signature'
  | 'wrong-file'
  | 'wrong-version'
  | 'digest-mismatch'
  | 'bad-signature'
  | 'not-verified';

export type Verdict = { ok: true } | { ok: false; reason: UpdateSignatureRefusal };

const base64Bytes = (length: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .refine((s) => Buffer.from(s, 'base64').length === length, `must be ${length} bytes in base64`);

/** `<file>.sig` as published in the feed: JSON, checked here because the feed is not trusted. */
export const signatureFileSchema = z
  .object({
    format: z.literal(SIGNATURE_FORMAT),
    version: z.string().min(1).max(64),
    file: z.string().min(1).max(255),
    sha512: base64Bytes(64),
    signature: base64Bytes(64),
  })
  .strict();
export type SignatureFile = z.infer<typeof signatureFileSchema>;

/** The exact bytes the release key signs. The version and name bind a signature to one release file. */
export function signedMessage(input: { version: string; file: string; sha512: Buffer }): Buffer {
  return Buffer.from(
    `${SIGNATURE_FORMAT}\nversion=${input.version}\nfile=${input.file}\nsha512=${input.sha512.toString('base64')}\n`,
    'utf8',
  );
}

/**
 * The release public key as baked into the build: the raw 32-byte Ed25519 key in base64url (what
 * `node build/update-signature.cjs public-key` prints). Null when absent or malformed.
 */
export function releasePublicKey(encoded: unknown): KeyObject | null {
  if (typeof encoded !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(encoded)) return null;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: encoded }, format: 'jwk' });
  } catch {
    return null;
  }
}

/** SHA-512 of a file without holding it in memory, synchronously (the install step cannot wait). */
export function sha512OfFileSync(file: string): Buffer {
  const hash = createHash('sha512');
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      hash.update(chunk.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest();
}

export async function sha512OfFile(file: string): Promise<Buffer> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest();
}

/**
 * Whether `signatureText` is the release key's signature for this download. `expected` is what the app
 * is about to install: the file's own name and the version electron-updater reports; `sha512` is
 * computed here from the bytes on disk, never taken from the feed.
 */
export function verifyUpdateSignature(input: {
  signatureText: string;
  fileName: string;
  version: string;
  sha512: Buffer;
  publicKey: KeyObject | null;
}): Verdict {
  if (!input.publicKey) return { ok: false, reason: 'no-signing-key' };
  let parsed: SignatureFile;
  try {
    parsed = signatureFileSchema.parse(JSON.parse(input.signatureText));
  } catch {
    return { ok: false, reason: 'malformed-signature' };
  }
  if (parsed.file !== input.fileName) return { ok: false, reason: 'wrong-file' };
  if (parsed.version !== input.version) return { ok: false, reason: 'wrong-version' };
  if (!Buffer.from(parsed.sha512, 'base64').equals(input.sha512))
    return { ok: false, reason: 'digest-mismatch' };
  const message = signedMessage({ version: input.version, file: input.fileName, sha512: input.sha512 });
  const good = verify(null, message, input.publicKey, Buffer.from(parsed.signature, 'base64'));
  return good ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

/**
 * Where a download's signature is: beside the file, on the feed the build or the policy names. Only the
 * file's name is used, so a feed that points its files at another host cannot choose where the
 * signature comes from either.
 */
export function signatureUrl(feedUrl: string, fileName: string): URL {
  const base = feedUrl.endsWith('/') ? feedUrl : `${feedUrl}/`;
  const url = new URL(`${encodeURIComponent(fileName)}.sig`, base);
  if (url.origin !== new URL(base).origin) throw new Error('signature URL leaves the feed');
  return url;
}

export type FetchLike = (url: string, init: { redirect: 'error'; signal: AbortSignal }) => Promise<Response>;

/** The signature text, or null when it cannot be had: missing, redirected, too large, or timed out. */
export async function fetchSignature(
  url: URL,
  fetchImpl: FetchLike,
  timeoutMs = 30_000,
): Promise<string | null> {
  try {
    // No redirects: the signature comes from the feed itself.
    const response = await fetchImpl(url.toString(), {
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return null;
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > MAX_SIGNATURE_BYTES) return null;
    const body = Buffer.from(await response.arrayBuffer());
    return body.length > MAX_SIGNATURE_BYTES ? null : body.toString('utf8');
  } catch {
    return null;
  }
}

/**
 * Gate between electron-updater's download and its install. `prepare` runs when a download finishes:
 * it fetches the signature and checks it. `mayInstall` runs synchronously when the install starts and
 * checks the file on disk again against the signature kept by `prepare`, so a file changed after the
 * download is refused too. Anything not prepared and verified is refused.
 */
export function createLinuxUpdateGate(options: {
  publicKey: KeyObject | null;
  feedUrl: string;
  fetch: FetchLike;
}): {
  prepare(download: { file: string; version: string }): Promise<Verdict>;
  mayInstall(file: string | null): Verdict;
} {
  let prepared: { file: string; version: string; signatureText: string } | null = null;
  return {
    async prepare(download) {
      prepared = null;
      if (!options.publicKey) return { ok: false, reason: 'no-signing-key' };
      const fileName = path.basename(download.file);
      let url: URL;
      try {
        url = signatureUrl(options.feedUrl, fileName);
      } catch {
        return { ok: false, reason: 'signature-unavailable' };
      }
      const signatureText = await fetchSignature(url, options.fetch);
      if (signatureText === null) return { ok: false, reason: 'signature-unavailable' };
      const verdict = verifyUpdateSignature({
        signatureText,
        fileName,
        version: download.version,
        sha512: await sha512OfFile(download.file),
        publicKey: options.publicKey,
      });
      if (verdict.ok) prepared = { ...download, signatureText };
      return verdict;
    },
    mayInstall(file) {
      if (!prepared || file === null || path.resolve(file) !== path.resolve(prepared.file)) {
        return { ok: false, reason: 'not-verified' };
      }
      let sha512: Buffer;
      try {
        sha512 = sha512OfFileSync(file);
      } catch {
        return { ok: false, reason: 'not-verified' };
      }
      return verifyUpdateSignature({
        signatureText: prepared.signatureText,
        fileName: path.basename(file),
        version: prepared.version,
        sha512,
        publicKey: options.publicKey,
      });
    },
  };
}

/**
 * The feed URL from electron-builder's app-update.yml (the build's own feed), or null. Only the generic
 * provider's `url:` over HTTPS is accepted.
 */
export function feedUrlFromAppUpdateYml(text: string): string | null {
  const provider = /^provider:\s*['"]?([\w-]+)['"]?\s*$/m.exec(text)?.[1];
  const url = /^url:\s*['"]?(https:\/\/[^\s'"]+)['"]?\s*$/m.exec(text)?.[1];
  if (provider !== 'generic' || !url) return null;
  try {
    return new URL(url).protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
