/**
 * The sync credentials stay with the server the policy names: a next link on a look-alike host is not
 * followed, no request follows a redirect, and nothing is sent to a URL off the server. The network is
 * faked (a fetch function that records what it is asked).
 */
import { describe, expect, it } from 'vitest';
import { createFhirClient, isOnServer } from '../../../main/sync/fhir-client';

describe('isOnServer', () => {
  it.each([
    ['https://fhir.clinic.example/r4/Patient?x=1', true],
    ['https://fhir.clinic.example/r4', true],
    ['https://fhir.clinic.example.evil.net/r4/Patient', false],
    ['https://fhir.clinic.example/r40/Patient', false],
    ['https://fhir.clinic.example:8443/r4/Patient', false],
    ['http://fhir.clinic.example/r4/Patient', false],
    ['https://user:pw@fhir.clinic.example/r4/Patient', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isOnServer(url, 'https://fhir.clinic.example/r4')).toBe(expected);
  });
});

describe('FHIR client', () => {
  it('does not follow a next link to a look-alike host, and asks fetch never to follow redirects', async () => {
    const calls: { url: string; redirect: RequestInit['redirect']; authorization: string | null }[] = [];
    const fakeFetch = async (input: string | URL | Request, init: RequestInit = {}) => {
      const url = String(input);
      calls.push({
        url,
        redirect: init.redirect,
        authorization: new Headers(init.headers).get('authorization'),
      });
      if (url.endsWith('/token'))
        return Response.json({ access_token: 'tok', token_type: 'bearer', expires_in: 300 });
      return Response.json({
        resourceType: 'Bundle',
        type: 'searchset',
        link: [{ relation: 'next', url: 'https://fhir.clinic.example.evil.net/r4/Patient?page=2' }],
        entry: [],
      });
    };
    const client = createFhirClient(
      {
        baseUrl: 'https://fhir.clinic.example/r4',
        auth: {
          kind: 'client-secret',
          tokenUrl: 'https://auth.clinic.example/token',
          clientId: 'c',
          clientSecret: 's',
        },
      },
      { fetch: fakeFetch as typeof fetch },
    );
    const pages = await client.search('Patient', 'identifier=x');
    expect(pages).toHaveLength(1);
    expect(calls.map((c) => c.url)).toEqual([
      'https://auth.clinic.example/token',
      'https://fhir.clinic.example/r4/Patient?identifier=x',
    ]);
    expect(calls.every((c) => c.redirect === 'error')).toBe(true);
    expect(calls.filter((c) => c.authorization).map((c) => new URL(c.url).host)).toEqual([
      'fhir.clinic.example',
    ]);
  });
});
