/**
 * The SMART Backend Services private key (private_key_jwt) kept wrapped by the OS key store, as the
 * database key is (Electron safeStorage through the KeyWrapper port): IT hands over a PEM file once; at
 * the next start the app wraps the key into `sync-key.wrapped` in its data folder and deletes the PEM
 * file. Where it may not delete it (a folder only administrators may write), the file is ignored from then
 * on as long as it holds the same key; a file with another key (IT rotated it) is imported again.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KEYCHAIN_UNAVAILABLE, type KeyWrapper } from '../db/keys';
import { renameDurably, writeSecretFile } from '../db/keys/files';
import type { Logger } from '../logging/logger';

export const WRAPPED_SYNC_KEY_FILE = 'sync-key.wrapped';

export type SyncKeyLoad =
  { status: 'loaded'; pem: string; algorithm: 'RS384' | 'ES384' } | { status: 'invalid'; reason: string };

export const SYNC_KEY_MESSAGES = {
  unreadable: 'The sync key file named in the policy could not be read.',
  notAKey: 'The sync key file does not hold a private key.',
  wrongType: 'The sync key must be an RSA or an EC P-384 private key.',
  store: 'The sync key could not be stored in this computer’s key store; ask IT to check it.',
  unwrap:
    'The stored sync key could not be unlocked with this computer’s key store; ask IT to provide the key file again.',
} as const;

/** The JWS algorithm SMART Backend Services pairs with this key (RSA: RS384, EC P-384: ES384), or a reason. */
export function algorithmOf(key: KeyObject): 'RS384' | 'ES384' | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS384';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1') return 'ES384';
  return undefined;
}

/** The SHA-256 of the key's public half (SPKI): tells an already imported key from a new one, and is no secret. */
function fingerprintOf(key: KeyObject): string {
  return createHash('sha256')
    .update(createPublicKey(key).export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

const storedSchema = z
  .object({
    version: z.literal(1),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    /** The PKCS#8 DER of the key, wrapped by the OS key store, base64. */
    wrapped: z.string().min(1),
  })
  .strict();

function readStored(file: string): z.infer<typeof storedSchema> | undefined {
  try {
    return storedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

function parseKey(pem: string): { key: KeyObject; algorithm: 'RS384' | 'ES384' } | { reason: string } {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    return { reason: SYNC_KEY_MESSAGES.notAKey };
  }
  const algorithm = algorithmOf(key);
  return algorithm ? { key, algorithm } : { reason: SYNC_KEY_MESSAGES.wrongType };
}

/**
 * The sync key: imported from `keyFile` when it holds a key not yet stored, else unwrapped from the data
 * folder. `wrapper` is the OS key store; without one (a host without Electron) the PEM file is read as it
 * is, every time.
 */
export async function loadSyncKey(options: {
  keyFile: string;
  dataDir: string;
  wrapper?: KeyWrapper | undefined;
  logger: Logger;
}): Promise<SyncKeyLoad> {
  try {
    return await load(options);
  } catch {
    // The key store refused to wrap, or the data folder is not writable: sync stays off, saying why.
    options.logger.error('sync.key_store_failed');
    return { status: 'invalid', reason: SYNC_KEY_MESSAGES.store };
  }
}

async function load(options: Parameters<typeof loadSyncKey>[0]): Promise<SyncKeyLoad> {
  const { keyFile, wrapper, logger } = options;
  const fromFile = (): { pem: string } | undefined => {
    try {
      return { pem: readFileSync(keyFile, 'utf8') };
    } catch {
      return undefined;
    }
  };
  if (!wrapper) {
    const file = fromFile();
    if (!file) return { status: 'invalid', reason: SYNC_KEY_MESSAGES.unreadable };
    const parsed = parseKey(file.pem);
    return 'reason' in parsed
      ? { status: 'invalid', reason: parsed.reason }
      : { status: 'loaded', pem: file.pem, algorithm: parsed.algorithm };
  }
  if (!(await wrapper.isAvailable()))
    return { status: 'invalid', reason: wrapper.unavailableMessage ?? KEYCHAIN_UNAVAILABLE };

  const storedFile = path.join(options.dataDir, WRAPPED_SYNC_KEY_FILE);
  const stored = existsSync(storedFile) ? readStored(storedFile) : undefined;
  const file = existsSync(keyFile) ? fromFile() : undefined;
  if (file) {
    const parsed = parseKey(file.pem);
    if ('reason' in parsed) {
      // A bad file does not replace a good stored key.
      if (!stored) return { status: 'invalid', reason: parsed.reason };
      logger.warn('sync.key_file_invalid');
    } else {
      const fingerprint = fingerprintOf(parsed.key);
      if (stored?.fingerprint !== fingerprint) {
        const der = parsed.key.export({ type: 'pkcs8', format: 'der' });
        const wrapped = Buffer.from(await wrapper.encrypt(der)).toString('base64');
        const staged = `${storedFile}.next`;
        writeSecretFile(staged, JSON.stringify({ version: 1, fingerprint, wrapped }));
        renameDurably(staged, storedFile);
        logger.info('sync.key_imported', { algorithm: parsed.algorithm });
      }
      try {
        rmSync(keyFile);
        logger.info('sync.key_file_removed');
      } catch {
        // The policy folder is the administrators': the file stays, and is ignored while it holds this key.
        logger.warn('sync.key_file_kept');
      }
      return {
        status: 'loaded',
        pem: parsed.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
        algorithm: parsed.algorithm,
      };
    }
  }
  const current = readStored(storedFile);
  if (!current) return { status: 'invalid', reason: SYNC_KEY_MESSAGES.unreadable };
  let der: Buffer;
  try {
    const out = await wrapper.decrypt(Buffer.from(current.wrapped, 'base64'));
    der = Buffer.isBuffer(out) ? out : out.plain;
    if (!Buffer.isBuffer(out) && out.rewrap) {
      const staged = `${storedFile}.next`;
      writeSecretFile(
        staged,
        JSON.stringify({ ...current, wrapped: Buffer.from(await wrapper.encrypt(der)).toString('base64') }),
      );
      renameDurably(staged, storedFile);
    }
  } catch {
    return { status: 'invalid', reason: SYNC_KEY_MESSAGES.unwrap };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return { status: 'invalid', reason: SYNC_KEY_MESSAGES.unwrap };
  }
  const algorithm = algorithmOf(key);
  if (!algorithm || fingerprintOf(key) !== current.fingerprint)
    return { status: 'invalid', reason: SYNC_KEY_MESSAGES.unwrap };
  return { status: 'loaded', pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm };
}
