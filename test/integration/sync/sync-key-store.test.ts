/**
 * The SMART backend sync key kept wrapped by the OS key store: IT's PEM file is imported once and removed,
 * what stays on disk gives no key without the key store, and the unwrapped key still signs in to a FHIR
 * server. The OS key store itself (Electron safeStorage) cannot exist here: it is stood in for by AES-GCM
 * under a secret held in this process, the same port (KeyWrapper) the database key goes through.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyWrapper } from '../../../main/db/keys';
import { memoryLogger } from '../../../main/logging/logger';
import { createFhirClient } from '../../../main/sync/fhir-client';
import { syncConfigFromPolicy } from '../../../main/sync/policy-config';
import { loadSyncKey, SYNC_KEY_MESSAGES, WRAPPED_SYNC_KEY_FILE } from '../../../main/sync/sync-key-store';
import type { PolicyLoad } from '../../../main/policy/load';
import type { SyncStatus } from '../../../shared/ipc/channels/sync';
import { aesOpen, aesSeal } from '../../support/aes-keychain';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';
import { startFhirServer } from '../../support/fhir-server';

/** Stands in for the OS key store: a secret that never touches the disk. */
function keyStore(): KeyWrapper & { forget(): void } {
  let secret = randomBytes(32);
  return {
    encrypt: (plain) => aesSeal(secret, plain),
    decrypt: (wrapped) => aesOpen(secret, wrapped),
    isAvailable: () => true,
    forget() {
      secret = randomBytes(32);
    },
  };
}

let dir: string;
let dataDir: string;
let policyDir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vd-sync-key-'));
  dataDir = path.join(dir, 'data');
  policyDir = path.join(dir, 'policy');
  mkdirSync(dataDir);
  mkdirSync(policyDir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function rsaKey() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

function itHandsOver(privateKey: ReturnType<typeof rsaKey>['privateKey']): string {
  const file = path.join(policyDir, 'fhir-client-key.pem');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return file;
}

describe('the sync key in the OS key store', () => {
  it('is imported once from IT’s file, which is removed; the stored blob holds no key without the key store', async () => {
    const { privateKey, publicKey } = rsaKey();
    const keyFile = itHandsOver(privateKey);
    const wrapper = keyStore();
    const logger = memoryLogger();
    const first = await loadSyncKey({ keyFile, dataDir, wrapper, logger });
    expect(first).toMatchObject({ status: 'loaded', algorithm: 'RS384' });
    expect(existsSync(keyFile)).toBe(false);

    // The attacker's view: the stored file, read without the key store.
    const storedFile = path.join(dataDir, WRAPPED_SYNC_KEY_FILE);
    expect(statSync(storedFile).mode & 0o777).toBe(0o600);
    const raw = readFileSync(storedFile);
    const text = raw.toString('utf8');
    expect(text).not.toContain('PRIVATE KEY');
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'der' });
    const stored = JSON.parse(text) as { wrapped: string };
    const blob = Buffer.from(stored.wrapped, 'base64');
    for (const haystack of [raw, blob]) {
      expect(haystack.includes(der.subarray(0, 64))).toBe(false);
      expect(haystack.includes(pkcs1.subarray(-64))).toBe(false);
    }
    // Nothing in it parses as a private key, whichever way it is read.
    const { createPrivateKey } = await import('node:crypto');
    for (const attempt of [
      () => createPrivateKey(text),
      () => createPrivateKey({ key: blob, format: 'der', type: 'pkcs8' }),
      () => createPrivateKey({ key: raw, format: 'der', type: 'pkcs8' }),
    ])
      expect(attempt).toThrow();
    // No log line carries key material.
    expect(JSON.stringify(logger.records)).not.toContain('PRIVATE KEY');

    // The next start has no file: the key comes from the key store, and signs in to the server.
    const second = await loadSyncKey({ keyFile, dataDir, wrapper, logger });
    expect(second).toMatchObject({ status: 'loaded', algorithm: 'RS384' });
    const server = await startFhirServer();
    try {
      server.requireAuth([{ clientId: 'desk-7', publicKey }]);
      const config = syncConfigFromPolicy(
        {
          baseUrl: server.baseUrl,
          auth: { type: 'smart-backend', tokenUrl: server.tokenUrl, clientId: 'desk-7', keyFile },
        },
        second.status === 'loaded' ? second : undefined,
      );
      expect(config.status).toBe('configured');
      if (config.status !== 'configured') return;
      const { maxTransactionEntries: _m, ...serverConfig } = config.config;
      const client = createFhirClient(serverConfig);
      const pages = await client.search('Patient', '_count=1', 1);
      expect(pages[0]?.resourceType).toBe('Bundle');
    } finally {
      await server.close();
    }
  });

  it('the same key handed over again is ignored; a new key from IT replaces it', async () => {
    const wrapper = keyStore();
    const logger = memoryLogger();
    const original = rsaKey();
    const keyFile = itHandsOver(original.privateKey);
    await loadSyncKey({ keyFile, dataDir, wrapper, logger });
    const storedFile = path.join(dataDir, WRAPPED_SYNC_KEY_FILE);
    const before = readFileSync(storedFile);

    // A deployment tool puts the same file back: nothing is imported again (the wrapped copy is unchanged).
    itHandsOver(original.privateKey);
    await loadSyncKey({ keyFile, dataDir, wrapper, logger });
    expect(readFileSync(storedFile).equals(before)).toBe(true);

    // IT rotates the key: the new one replaces the stored one.
    const rotated = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    writeFileSync(keyFile, rotated.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const after = await loadSyncKey({ keyFile, dataDir, wrapper, logger });
    expect(after).toMatchObject({ status: 'loaded', algorithm: 'ES384' });
    const again = await loadSyncKey({ keyFile, dataDir, wrapper, logger });
    expect(again).toEqual(after);
  });

  it('refuses clearly, and keeps IT’s file, when the key store is unavailable, the file holds no usable key, or the key store changed', async () => {
    const logger = memoryLogger();
    const keyFile = itHandsOver(rsaKey().privateKey);
    const unavailable: KeyWrapper = { ...keyStore(), isAvailable: () => false };
    expect(await loadSyncKey({ keyFile, dataDir, wrapper: unavailable, logger })).toMatchObject({
      status: 'invalid',
      reason: expect.stringContaining('key store'),
    });
    expect(existsSync(keyFile)).toBe(true);
    expect(existsSync(path.join(dataDir, WRAPPED_SYNC_KEY_FILE))).toBe(false);

    const badFile = path.join(policyDir, 'not-a-key.pem');
    writeFileSync(badFile, 'hello');
    expect(await loadSyncKey({ keyFile: badFile, dataDir, wrapper: keyStore(), logger })).toEqual({
      status: 'invalid',
      reason: SYNC_KEY_MESSAGES.notAKey,
    });
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    writeFileSync(badFile, p256.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(await loadSyncKey({ keyFile: badFile, dataDir, wrapper: keyStore(), logger })).toEqual({
      status: 'invalid',
      reason: SYNC_KEY_MESSAGES.wrongType,
    });

    // Imported, then the key store loses its secret (another user, a reset keychain).
    const wrapper = keyStore();
    await loadSyncKey({ keyFile, dataDir, wrapper, logger });
    wrapper.forget();
    expect(await loadSyncKey({ keyFile, dataDir, wrapper, logger })).toEqual({
      status: 'invalid',
      reason: SYNC_KEY_MESSAGES.unwrap,
    });
  });

  it('the core imports the policy’s key file at start and sync is configured from the key store', async () => {
    const keyFile = itHandsOver(rsaKey().privateKey);
    const policy: PolicyLoad = {
      file: 'policy.json',
      status: 'applied',
      policy: {
        fhir: {
          // Nothing listens on port 1: only the configuration is under test here.
          baseUrl: 'https://127.0.0.1:1/fhir/R4',
          auth: { type: 'smart-backend', tokenUrl: 'https://127.0.0.1:1/token', clientId: 'desk', keyFile },
        },
      },
      lockedFields: ['fhir.baseUrl', 'fhir.auth'],
      problems: [],
    };
    const { core } = await createTestCore({ dataDir, policy, secretWrapper: keyStore() });
    try {
      expect(existsSync(keyFile)).toBe(false);
      expect(existsSync(path.join(dataDir, WRAPPED_SYNC_KEY_FILE))).toBe(true);
      const admin = await signInAs(core, 'admin');
      const status = await call<SyncStatus>(core, admin.senderId, 'sync.status', {});
      expect(status.configured).toBe(true);
    } finally {
      await core.close();
    }
  });
});
