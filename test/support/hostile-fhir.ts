/**
 * A hostile (or merely unusual) FHIR server on 127.0.0.1 for sync tests: each request goes to `handle`,
 * which answers it itself or returns 'forward' to pass it to a real server (the Medplum loopback server)
 * unchanged. It records every request it sees, so a test can show what was (not) sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  /** Path and query, e.g. /fhir/R4/Patient?identifier=... */
  readonly url: string;
  readonly body: string;
  readonly authorization: string | undefined;
}

export type StubHandler = (
  request: SeenRequest,
  res: ServerResponse,
) => 'forward' | void | Promise<'forward' | void>;

export interface HostileServer {
  /** e.g. http://127.0.0.1:41234/fhir/R4 */
  readonly baseUrl: string;
  readonly origin: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function sendFhirJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/fhir+json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** `upstream`: the real server's base URL ('.../fhir/R4') that 'forward' passes requests to. */
export async function startHostileServer(handle: StubHandler, upstream?: string): Promise<HostileServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const request: SeenRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        body: await readBody(req),
        authorization: req.headers.authorization,
      };
      seen.push(request);
      const action = await handle(request, res);
      if (action !== 'forward') return;
      if (!upstream) throw new Error('nothing to forward to');
      const target = `${new URL(upstream).origin}${request.url}`;
      const answer = await fetch(target, {
        method: request.method,
        headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
        ...(request.body ? { body: request.body } : {}),
      });
      const text = await answer.text();
      res.writeHead(answer.status, { 'content-type': 'application/fhir+json' });
      res.end(text);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/fhir/R4`,
    origin: `http://127.0.0.1:${port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
