/**
 * The sync configuration from IT's machine-wide policy (`fhir.baseUrl` and `fhir.auth`). A SMART backend
 * key is read from its file here, once; its type picks the JWS algorithm (RSA: RS384, EC P-384: ES384, the
 * two SMART Backend Services requires servers to support).
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Policy } from '../policy/schema';
import type { SyncConfig } from './service';
import { algorithmOf, type SyncKeyLoad } from './sync-key-store';

/** Entries per transaction until the server says fewer (Medplum refuses more than 8 conditional ones). */
export const DEFAULT_MAX_ENTRIES_PER_TRANSACTION = 100;

export type PolicySyncConfig =
  { status: 'configured'; config: SyncConfig } | { status: 'absent' } | { status: 'invalid'; reason: string };

/**
 * `key`: the SMART backend key as loadSyncKey found it (imported into the OS key store); without it the
 * policy's key file is read here.
 */
export function syncConfigFromPolicy(fhir: Policy['fhir'], key?: SyncKeyLoad): PolicySyncConfig {
  const baseUrl = fhir?.baseUrl;
  if (!fhir || !baseUrl) return { status: 'absent' };
  const auth = fhir.auth;
  // The identifier systems are the clinic's, named in the same policy as the server they are used with.
  const mrn = {
    ...(fhir.mrnSystem ? { mrnSystem: fhir.mrnSystem } : {}),
    ...(fhir.observationSystem ? { observationSystem: fhir.observationSystem } : {}),
    ...(fhir.encounterSystem ? { encounterSystem: fhir.encounterSystem } : {}),
    maxTransactionEntries: fhir.maxEntriesPerTransaction ?? DEFAULT_MAX_ENTRIES_PER_TRANSACTION,
  };
  const configured = (auth: SyncConfig['auth']): PolicySyncConfig => ({
    status: 'configured',
    config: { baseUrl, ...mrn, auth },
  });
  if (!auth) return configured({ kind: 'none' });
  const scope = auth.scope ? { scope: auth.scope } : {};
  if (auth.type === 'client-credentials') {
    return configured({
      kind: 'client-secret',
      tokenUrl: auth.tokenUrl,
      clientId: auth.clientId,
      clientSecret: auth.clientSecret,
      ...scope,
    });
  }
  const loaded = key ?? readKeyFile(auth.keyFile);
  if (loaded.status === 'invalid') return { status: 'invalid', reason: loaded.reason };
  return configured({
    kind: 'private-key-jwt',
    tokenUrl: auth.tokenUrl,
    clientId: auth.clientId,
    privateKeyPem: loaded.pem,
    algorithm: loaded.algorithm,
    ...scope,
  });
}

/** The policy's key file read as it is, where no key store holds the key (hosts without Electron). */
function readKeyFile(file: string): SyncKeyLoad {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    return { status: 'invalid', reason: 'The sync key file named in the policy could not be read.' };
  }
  try {
    const algorithm = algorithmOf(createPrivateKey(pem));
    if (!algorithm)
      return { status: 'invalid', reason: 'The sync key must be an RSA or an EC P-384 private key.' };
    return { status: 'loaded', pem, algorithm };
  } catch {
    return { status: 'invalid', reason: 'The sync key file does not hold a private key.' };
  }
}
