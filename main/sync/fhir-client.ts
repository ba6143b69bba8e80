/**
 * A small fetch-based FHIR R4 client: transaction POST and search, with OAuth2 client-credentials tokens
 * (RFC 6749 §4.4) authenticated by client_secret_post (OpenID Connect Core §9) or private_key_jwt
 * (RFC 7523 §2.2, as SMART Backend Services require). TLS is required except to this computer.
 */
import { createPrivateKey, createSign, randomUUID, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { Bundle } from '@medplum/fhirtypes';
import { AppError } from '../../shared/ipc';
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';

export const fhirAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('client-secret'),
      tokenUrl: z.string().url(),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      scope: z.string().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('private-key-jwt'),
      tokenUrl: z.string().url(),
      clientId: z.string().min(1),
      /** PKCS#8 or PKCS#1 PEM of an RSA or EC P-384 key. */
      privateKeyPem: z.string().min(1),
      keyId: z.string().optional(),
      algorithm: z.enum(['RS384', 'ES384']),
      scope: z.string().optional(),
    })
    .strict(),
]);
export type FhirAuth = z.infer<typeof fhirAuthSchema>;

export const fhirServerConfigSchema = z
  .object({
    baseUrl: z.string().url(),
    auth: fhirAuthSchema,
    /** The clinic's MRN identifier system on the server. */
    mrnSystem: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().max(600_000).optional(),
    /** The most bytes one answer may have (default MAX_RESPONSE_BYTES). */
    maxResponseBytes: z.number().int().positive().optional(),
  })
  .strict();
export type FhirServerConfig = z.infer<typeof fhirServerConfigSchema>;

/** Why a request failed, and whether trying again later can help. */
export class FhirRequestError extends Error {
  readonly status: number | undefined;
  readonly retryable: boolean;
  /**
   * The server's OperationOutcome text (diagnostics and details), only to classify the refusal: it may
   * quote patient data, so it is never logged or stored.
   */
  readonly outcomeText: string;
  constructor(
    message: string,
    options: { status?: number; retryable: boolean; cause?: unknown; outcomeText?: string },
  ) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'FhirRequestError';
    this.status = options.status;
    this.retryable = options.retryable;
    this.outcomeText = options.outcomeText ?? '';
  }
}

/** A server's answer larger than this is refused unread (a search page of ~1000 resources is ~2 MB). */
export const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

const outcomeSchema = z.object({
  resourceType: z.literal('OperationOutcome'),
  issue: z
    .array(
      z.object({
        diagnostics: z.string().optional(),
        details: z.object({ text: z.string().optional() }).optional(),
      }),
    )
    .max(100),
});

/** The text of an OperationOutcome body, at most 2000 characters; '' for anything else. */
function outcomeTextOf(body: unknown): string {
  const parsed = outcomeSchema.safeParse(body);
  if (!parsed.success) return '';
  return parsed.data.issue
    .flatMap((i) => [i.details?.text, i.diagnostics])
    .filter((t): t is string => typeof t === 'string')
    .join(' ')
    .slice(0, 2000);
}

/**
 * The body as JSON, read up to `limit` bytes: a server (or something posing as one) cannot make the
 * workstation buffer an unbounded answer. undefined when it is not JSON.
 */
async function readJsonCapped(response: Response, limit: number): Promise<unknown> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const tooLarge = (): FhirRequestError =>
    new FhirRequestError('The FHIR server sent an answer too large to accept.', {
      status: response.status,
      retryable: false,
    });
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export interface FhirClient {
  readonly baseUrl: string;
  transaction(bundle: Bundle): Promise<Bundle>;
  /** GET `<base>/<resourceType>?<query>`, following `next` links up to `maxPages`. */
  search(resourceType: string, query: string, maxPages?: number): Promise<Bundle[]>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Refuses plain http to anything but this computer: PHI never crosses a network unencrypted. */
export function assertSecureUrl(url: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('VALIDATION', `The ${what} address is not a valid web address.`);
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)) return parsed;
  throw new AppError(
    'VALIDATION',
    `The ${what} address must start with https:// so patient data is encrypted on the way; plain http is only allowed to this computer.`,
  );
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer'),
  expires_in: z.number().positive().optional(),
});

const bundleSchema = z
  .object({
    resourceType: z.literal('Bundle'),
    type: z.string(),
    entry: z.array(z.object({}).passthrough()).optional(),
    link: z.array(z.object({ relation: z.string(), url: z.string() })).optional(),
  })
  .passthrough();

function signJwt(
  payload: Record<string, unknown>,
  key: KeyObject,
  algorithm: 'RS384' | 'ES384',
  keyId?: string,
): string {
  const header = { alg: algorithm, typ: 'JWT', ...(keyId ? { kid: keyId } : {}) };
  const encode = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  const signer = createSign('SHA384');
  signer.update(input);
  // JWS (RFC 7518 §3.4): ECDSA signatures are the raw r||s concatenation, not DER.
  const signature = signer.sign(algorithm === 'ES384' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * Whether an HTTP status is worth retrying later (the request itself was fine). 412: the resource changed
 * on the server between reading and writing it back; the next attempt reads it again.
 */
export function isRetryableStatus(status: number): boolean {
  return (
    status === 401 || status === 403 || status === 408 || status === 412 || status === 429 || status >= 500
  );
}

/**
 * Whether `url` lies on the server at `base`: the same origin (scheme, host, port) and under its path.
 * A plain prefix test would let `https://fhir.clinic.example.evil.net/` pass for `https://fhir.clinic.example`.
 */
export function isOnServer(url: string, base: string): boolean {
  let target: URL;
  let server: URL;
  try {
    target = new URL(url);
    server = new URL(base);
  } catch {
    return false;
  }
  if (target.origin !== server.origin || target.username || target.password) return false;
  const root = server.pathname.replace(/\/+$/, '');
  return target.pathname === root || target.pathname.startsWith(`${root}/`);
}

export function createFhirClient(
  config: FhirServerConfig,
  deps: { fetch?: typeof fetch; clock?: Clock } = {},
): FhirClient {
  const checked = fhirServerConfigSchema.parse(config);
  const base = assertSecureUrl(checked.baseUrl, 'FHIR server').toString().replace(/\/+$/, '');
  const auth = checked.auth;
  if (auth.kind !== 'none') assertSecureUrl(auth.tokenUrl, 'sign-in (token)');
  const doFetch = deps.fetch ?? fetch;
  const clock = deps.clock ?? systemClock;
  const timeoutMs = checked.timeoutMs ?? 30_000;
  const maxResponseBytes = checked.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const privateKey =
    auth.kind === 'private-key-jwt'
      ? (() => {
          try {
            return createPrivateKey(auth.privateKeyPem);
          } catch {
            throw new AppError('VALIDATION', 'The sync private key could not be read; ask IT to check it.');
          }
        })()
      : undefined;
  let token: { value: string; expiresAt: number } | undefined;

  const request = async (url: string, init: RequestInit): Promise<Response> => {
    try {
      // No redirects: a 307 from the token service would re-send the client secret in its body, and a
      // redirect from the server the bearer token, to wherever it points.
      return await doFetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new FhirRequestError(
        timedOut ? 'The FHIR server did not answer in time.' : 'The FHIR server could not be reached.',
        { retryable: true, cause: error },
      );
    }
  };

  const fetchToken = async (): Promise<string> => {
    if (auth.kind === 'none') return '';
    const now = clock.now().getTime();
    if (token && token.expiresAt > now) return token.value;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scope) form.set('scope', auth.scope);
    if (auth.kind === 'client-secret') {
      form.set('client_id', auth.clientId);
      form.set('client_secret', auth.clientSecret);
    } else {
      const seconds = Math.floor(now / 1000);
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set(
        'client_assertion',
        signJwt(
          {
            iss: auth.clientId,
            sub: auth.clientId,
            aud: auth.tokenUrl,
            exp: seconds + 300,
            iat: seconds,
            jti: randomUUID(),
          },
          privateKey as KeyObject,
          auth.algorithm,
          auth.keyId,
        ),
      );
    }
    const response = await request(auth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
    if (!response.ok) {
      throw new FhirRequestError(
        response.status === 400 || response.status === 401
          ? 'The FHIR server refused this workstation’s sync credentials; ask IT to check them.'
          : 'The FHIR server’s sign-in service is not answering properly.',
        { status: response.status, retryable: true },
      );
    }
    const parsed = tokenResponseSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw new FhirRequestError('The FHIR server’s sign-in service sent an answer that could not be read.', {
        retryable: true,
      });
    }
    // Renew a little early so a token never expires mid-request.
    const lifetimeMs = (parsed.data.expires_in ?? 300) * 1000;
    token = {
      value: parsed.data.access_token,
      expiresAt: now + Math.max(lifetimeMs - 30_000, lifetimeMs / 2),
    };
    return token.value;
  };

  /** One FHIR call; on 401 the token is renewed and the call tried once more. */
  const call = async (url: string, init: RequestInit): Promise<unknown> => {
    // The token is for the policy's server only, whatever URL a caller or a server's answer offers.
    if (!isOnServer(url, base)) throw new AppError('VALIDATION', 'Sync refused to send to another server.');
    for (let attempt = 0; ; attempt += 1) {
      const bearer = await fetchToken();
      const response = await request(url, {
        ...init,
        headers: {
          accept: 'application/fhir+json',
          ...(init.body ? { 'content-type': 'application/fhir+json' } : {}),
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
      });
      if (response.status === 401 && auth.kind !== 'none' && attempt === 0) {
        token = undefined;
        await response.body?.cancel();
        continue;
      }
      const body = await readJsonCapped(response, maxResponseBytes);
      if (!response.ok) {
        throw new FhirRequestError(
          response.status === 401 || response.status === 403
            ? 'The FHIR server refused this workstation’s sync credentials; ask IT to check them.'
            : response.status === 412
              ? 'The record changed on the FHIR server while it was being updated; sync will try again.'
              : response.status >= 500 || response.status === 429 || response.status === 408
                ? 'The FHIR server is having trouble; sync will try again.'
                : 'The FHIR server refused the data as sent.',
          {
            status: response.status,
            retryable: isRetryableStatus(response.status),
            outcomeText: outcomeTextOf(body),
          },
        );
      }
      return body;
    }
  };

  const asBundle = (body: unknown): Bundle => {
    const parsed = bundleSchema.safeParse(body);
    if (!parsed.success) {
      throw new FhirRequestError('The FHIR server sent an answer that could not be read.', {
        retryable: true,
      });
    }
    return parsed.data as Bundle;
  };

  return {
    baseUrl: base,
    async transaction(bundle) {
      return asBundle(await call(base, { method: 'POST', body: JSON.stringify(bundle) }));
    },
    async search(resourceType, query, maxPages = 20) {
      const pages: Bundle[] = [];
      let url: string | undefined = `${base}/${resourceType}?${query}`;
      while (url && pages.length < maxPages) {
        const page = asBundle(await call(url, { method: 'GET' }));
        pages.push(page);
        const next = page.link?.find((l) => l.relation === 'next')?.url;
        // Follow only links on the same server: a next link elsewhere would leak the token.
        url = next && isOnServer(next, base) ? next : undefined;
      }
      return pages;
    },
  };
}
