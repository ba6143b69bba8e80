import { describe, expect, it } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { AppError } from '../../../shared/ipc';
import { assertSecureUrl, createFhirClient, isRetryableStatus } from '../../../main/sync/fhir-client';
import { backoffDelay, confirmedEntries } from '../../../main/sync/worker';
import { buildSyncBundle, countSyncEntries } from '../../../shared/fhir';
import { encounterFixture, observationFixture, patientFixture } from '../../support/fhir-fixtures';

describe('TLS rule', () => {
  it.each([
    ['https://fhir.example.org/R4', true],
    ['http://127.0.0.1:8080/fhir', true],
    ['http://localhost/fhir', true],
    ['http://[::1]:9000/fhir', true],
    ['http://fhir.example.org/R4', false],
    ['http://10.0.0.5/fhir', false],
    ['ftp://fhir.example.org', false],
    ['not a url', false],
  ])('%s allowed: %s', (url, allowed) => {
    if (allowed) expect(assertSecureUrl(url, 'FHIR server').href).toBeTruthy();
    else expect(() => assertSecureUrl(url, 'FHIR server')).toThrow(AppError);
  });

  it('the client refuses plain http to another computer, and to a token endpoint too', () => {
    expect(() => createFhirClient({ baseUrl: 'http://fhir.example.org/R4', auth: { kind: 'none' } })).toThrow(
      'must start with https://',
    );
    expect(() =>
      createFhirClient({
        baseUrl: 'https://fhir.example.org/R4',
        auth: {
          kind: 'client-secret',
          tokenUrl: 'http://auth.example.org/token',
          clientId: 'a',
          clientSecret: 'b',
        },
      }),
    ).toThrow('sign-in (token) address must start with https://');
  });

  it('refuses an unreadable private key with a sentence for IT', () => {
    expect(() =>
      createFhirClient({
        baseUrl: 'https://fhir.example.org/R4',
        auth: {
          kind: 'private-key-jwt',
          tokenUrl: 'https://auth.example.org/token',
          clientId: 'a',
          algorithm: 'RS384',
          privateKeyPem: 'not a key',
        },
      }),
    ).toThrow('The sync private key could not be read');
  });
});

describe('retry policy', () => {
  it.each([
    [400, false],
    [404, false],
    [409, false],
    [422, false],
    [401, true],
    [403, true],
    [408, true],
    // A corrected patient changed on the server between read and write-back: read again and retry.
    [412, true],
    [429, true],
    [500, true],
    [503, true],
  ])('HTTP %d retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });

  it('backs off exponentially, capped, with half the delay jittered', () => {
    const options = { initialMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(1, options, () => 0)).toBe(500);
    expect(backoffDelay(1, options, () => 1)).toBe(1000);
    expect(backoffDelay(2, options, () => 0)).toBe(1000);
    expect(backoffDelay(4, options, () => 1)).toBe(8000);
    expect(backoffDelay(20, options, () => 0)).toBe(30_000);
    expect(backoffDelay(20, options, () => 1)).toBe(60_000);
    expect(backoffDelay(3, options, () => 0.5)).toBe(3000);
  });
});

describe('confirmedEntries', () => {
  const sent = buildSyncBundle([
    { observation: observationFixture(), patient: patientFixture, encounter: encounterFixture },
  ]);
  const ids = new Map([['obs-1', 'local-row-1']]);
  const response = (statuses: string[], location = 'Observation/abc/_history/3'): Bundle => ({
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: statuses.map((status) => ({ response: { status, location } })),
  });
  const count = sent.bundle.entry?.length ?? 0;

  it('confirms each observation entry, with the server id without its history suffix', () => {
    expect(confirmedEntries(response(Array<string>(count).fill('201 Created')), sent, ids)).toEqual([
      { observationId: 'local-row-1', remoteId: 'Observation/abc', remoteVersion: '3' },
    ]);
  });

  it('refuses an answer that does not match what was sent', () => {
    expect(() => confirmedEntries(response(['201']), sent, ids)).toThrow('did not match');
    expect(() =>
      confirmedEntries({ ...response(Array<string>(count).fill('201')), type: 'batch-response' }, sent, ids),
    ).toThrow('did not match');
    const statuses = Array<string>(count).fill('200 OK');
    statuses[sent.observations[0]!.index] = '400 Bad Request';
    expect(() => confirmedEntries(response(statuses), sent, ids)).toThrow('did not confirm');
  });

  it('counts entries exactly as the bundle builder makes them', () => {
    const units = [
      { observation: observationFixture(), patient: patientFixture, encounter: encounterFixture },
      {
        observation: observationFixture({ seriesId: 'obs-2', device: null }),
        patient: patientFixture,
        encounter: encounterFixture,
      },
      {
        observation: observationFixture({ seriesId: 'obs-3', patientId: 'pat-2' }),
        patient: { ...patientFixture, id: 'pat-2' },
      },
    ];
    for (let n = 1; n <= units.length; n += 1) {
      expect(countSyncEntries(units.slice(0, n))).toBe(
        buildSyncBundle(units.slice(0, n)).bundle.entry?.length,
      );
    }
  });
});
