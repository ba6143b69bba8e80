/**
 * The FHIR client trusts nothing it was not configured to trust. Each test runs a hostile server on
 * loopback that tries one attack, and shows it fails: a redirect to another origin, a next link off the
 * server's base path, an answer too large to hold, and observations whose fields are not what FHIR says.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFhirClient, FhirRequestError } from '../../../main/sync/fhir-client';
import {
  sendFhirJson,
  startHostileServer,
  type HostileServer,
  type SeenRequest,
} from '../../support/hostile-fhir';
import { openWorkstation, recordHeartRates, registerPatient } from './helpers';

const stubs: HostileServer[] = [];
afterEach(async () => {
  for (const stub of stubs.splice(0)) await stub.close();
});
const start = async (...args: Parameters<typeof startHostileServer>): Promise<HostileServer> => {
  const stub = await startHostileServer(...args);
  stubs.push(stub);
  return stub;
};

describe('a hostile FHIR server', () => {
  it('a 307 to another origin does not make sync re-post the patient bundle there', async () => {
    const elsewhere = await start((_request, res) => {
      sendFhirJson(res, 200, { resourceType: 'Bundle', type: 'transaction-response', entry: [] });
    });
    const redirecting = await start((_request, res) => {
      res.writeHead(307, { location: `${elsewhere.baseUrl}` });
      res.end();
    });
    const ws = openWorkstation({ baseUrl: redirecting.baseUrl });
    const patient = registerPatient(ws, 'T-0701');
    const ids = recordHeartRates(ws, patient.id, 3);
    const result = await ws.worker.runOnce();
    expect(result.ok).toBe(false);
    expect(redirecting.seen).toHaveLength(1);
    expect(elsewhere.seen).toEqual([]);
    expect(ws.outbox.items(ids).every((i) => i.state === 'pending')).toBe(true);
  });

  it.each([
    ['another app on the same host', '/other-app/Patient?page=2'],
    ['a path that merely starts with the base path', '/fhir/R40/Patient?page=2'],
  ])('a next link to %s is not followed', async (_what, path) => {
    const stub = await start((_request, res) => {
      sendFhirJson(res, 200, {
        resourceType: 'Bundle',
        type: 'searchset',
        link: [{ relation: 'next', url: `${stub.origin}${path}` }],
        entry: [],
      });
    });
    const client = createFhirClient({ baseUrl: stub.baseUrl, auth: { kind: 'none' } });
    const pages = await client.search('Patient', 'identifier=x');
    expect(pages).toHaveLength(1);
    expect(stub.seen.map((r: SeenRequest) => r.url)).toEqual(['/fhir/R4/Patient?identifier=x']);
  });

  it.each(['declared', 'streamed'] as const)(
    'an answer larger than the cap (%s size) is refused without being held in memory',
    async (how) => {
      // 21 MB of JSON: a searchset with one huge text field.
      const filler = 'x'.repeat(21 * 1024 * 1024);
      const body = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [], padding: filler });
      const server: Server = createServer((_req, res) => {
        if (how === 'declared') {
          res.writeHead(200, {
            'content-type': 'application/fhir+json',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        } else {
          res.writeHead(200, { 'content-type': 'application/fhir+json' });
          for (let i = 0; i < body.length; i += 1024 * 1024) res.write(body.slice(i, i + 1024 * 1024));
          res.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const port = (server.address() as AddressInfo).port;
        const client = createFhirClient({
          baseUrl: `http://127.0.0.1:${port}/fhir/R4`,
          auth: { kind: 'none' },
        });
        const error = await client.search('Patient', 'identifier=x').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(FhirRequestError);
        expect((error as Error).message).toMatch(/too large/);
        // Just under the cap the same answer is read.
        const small = createFhirClient({
          baseUrl: `http://127.0.0.1:${port}/fhir/R4`,
          auth: { kind: 'none' },
          maxResponseBytes: 22 * 1024 * 1024,
        });
        expect(await small.search('Patient', 'identifier=x')).toHaveLength(1);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  );

  it('observations with a date that is no date, markup in ids or another patient as subject are not stored', async () => {
    const good = {
      resourceType: 'Observation',
      id: 'good-1',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2026-03-01T09:00:00Z',
      valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    };
    const hostile = [
      { ...good, id: 'bad-1', effectiveDateTime: 'not-a-date <script>' },
      { ...good, id: 'bad-2', effectiveDateTime: '2026-02-30T09:00:00Z' },
      { ...good, id: '<img src=x onerror=alert(1)>' },
      { ...good, id: 'bad-4', subject: { reference: 'Patient/someone-else' } },
      { ...good, id: 'bad-5', issued: 'yesterday' },
    ];
    const stub = await start((request, res) => {
      if (request.url.includes('/Patient?')) {
        sendFhirJson(res, 200, {
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [{ resource: { resourceType: 'Patient', id: 'p1' } }],
        });
        return;
      }
      sendFhirJson(res, 200, {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [good, ...hostile].map((resource) => ({ resource })),
      });
    });
    const ws = openWorkstation({ baseUrl: stub.baseUrl });
    const patient = registerPatient(ws, 'T-0702');
    const pulled = await ws.worker.pullPatient(patient.id);
    expect(pulled.observations.map((o) => o.remoteId)).toEqual(['Observation/good-1']);
    expect(pulled.skipped).toBe(hostile.length);
    const stored = JSON.stringify(ws.outbox.remoteObservations(patient.id));
    expect(stored).toContain('good-1');
    expect(stored).not.toMatch(/script|onerror|not-a-date|someone-else|yesterday/);
  });
});
