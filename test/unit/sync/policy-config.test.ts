import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncConfigFromPolicy } from '../../../main/sync/policy-config';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vd-policy-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, type: 'rsa' | 'ec384' | 'ec256'): string {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: type === 'ec384' ? 'P-384' : 'P-256' });
  const file = path.join(dir, name);
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return file;
}

const smart = (keyFilePath: string) => ({
  baseUrl: 'https://fhir.example.org/R4',
  auth: {
    type: 'smart-backend' as const,
    tokenUrl: 'https://auth.example.org/token',
    clientId: 'desk',
    keyFile: keyFilePath,
  },
});

describe('sync config from the policy', () => {
  it('is absent without a base URL', () => {
    expect(syncConfigFromPolicy(undefined)).toEqual({ status: 'absent' });
    expect(syncConfigFromPolicy({})).toEqual({ status: 'absent' });
  });

  it('maps client credentials to client_secret_post', () => {
    expect(
      syncConfigFromPolicy({
        baseUrl: 'https://fhir.example.org/R4',
        auth: {
          type: 'client-credentials',
          tokenUrl: 'https://auth.example.org/token',
          clientId: 'desk',
          clientSecret: 's',
        },
      }),
    ).toEqual({
      status: 'configured',
      config: {
        baseUrl: 'https://fhir.example.org/R4',
        auth: {
          kind: 'client-secret',
          tokenUrl: 'https://auth.example.org/token',
          clientId: 'desk',
          clientSecret: 's',
        },
        maxTransactionEntries: 100,
      },
    });
  });

  it.each([
    ['rsa', 'RS384'],
    ['ec384', 'ES384'],
  ] as const)('reads a SMART backend %s key and signs with %s', (type, algorithm) => {
    const result = syncConfigFromPolicy(smart(keyFile(`${type}.pem`, type)));
    expect(result).toMatchObject({
      status: 'configured',
      config: { auth: { kind: 'private-key-jwt', algorithm } },
    });
  });

  it('says what is wrong with an unusable key', () => {
    expect(syncConfigFromPolicy(smart(path.join(dir, 'missing.pem')))).toEqual({
      status: 'invalid',
      reason: 'The sync key file named in the policy could not be read.',
    });
    expect(syncConfigFromPolicy(smart(keyFile('p256.pem', 'ec256')))).toEqual({
      status: 'invalid',
      reason: 'The sync key must be an RSA or an EC P-384 private key.',
    });
    const junk = path.join(dir, 'junk.pem');
    writeFileSync(junk, 'hello');
    expect(syncConfigFromPolicy(smart(junk))).toMatchObject({ status: 'invalid' });
  });
});

describe('identifier systems from the policy', () => {
  it('takes the MRN system from the same policy section as the server, and refuses a malformed one', async () => {
    const { parsePolicy } = await import('../../../main/policy/load');
    const good = parsePolicy(
      JSON.stringify({
        fhir: { baseUrl: 'https://fhir.example.org/R4', mrnSystem: 'urn:oid:2.16.840.1.113883.3.7' },
      }),
    );
    expect(syncConfigFromPolicy(good.policy.fhir)).toEqual({
      status: 'configured',
      config: {
        baseUrl: 'https://fhir.example.org/R4',
        auth: { kind: 'none' },
        mrnSystem: 'urn:oid:2.16.840.1.113883.3.7',
        maxTransactionEntries: 100,
      },
    });
    const bad = parsePolicy(
      JSON.stringify({ fhir: { baseUrl: 'https://fhir.example.org/R4', mrnSystem: 'my mrns' } }),
    );
    expect(bad.problems.map((p) => p.field)).toEqual(['fhir.mrnSystem']);
    expect(bad.lockedFields).toContain('fhir.mrnSystem');
    expect(syncConfigFromPolicy(bad.policy.fhir)).toMatchObject({
      status: 'configured',
      config: { auth: { kind: 'none' } },
    });
    expect(JSON.stringify(syncConfigFromPolicy(bad.policy.fhir))).not.toContain('my mrns');
  });
});
