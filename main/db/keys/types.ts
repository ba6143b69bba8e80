/**
 * Where the 256-bit database key comes from. In the Electron app it is wrapped by the OS keychain
 * (safeStorage); without Electron (tests, Chromium host) it is an explicit, loudly-warned choice.
 */
export type DbKeyProviderKind = 'safe-storage' | 'key-file' | 'env' | 'memory';

/** A rotated key written beside the current one, not yet in force (see rotateKey). */
export interface StagedKey {
  /** Makes the staged key the current one (an atomic rename). */
  commit(): Promise<void>;
  /** Forgets the staged key (the rotation was abandoned). */
  discard(): Promise<void>;
}

export interface DbKeyProvider {
  readonly kind: DbKeyProviderKind;
  /** Said once at start-up (logged and shown in health) when the key is not protected by the OS keychain. */
  readonly warning?: string;
  /** The current key; generated (random 32 bytes) and stored on first run. */
  loadOrCreateKey(): Promise<Buffer>;
  /** Stores a new key as the current one. */
  storeRotatedKey(key: Buffer): Promise<void>;
  /** Writes a new key beside the current one without putting it in force (two-phase rotation). */
  stageRotatedKey(key: Buffer): Promise<StagedKey>;
  /** A key staged by a rotation interrupted before commit, if any: the database may already use it. */
  loadStagedKey(): Promise<Buffer | undefined>;
  /** Forgets a staged key that is not in force (left by a rotation that failed before its rekey). */
  discardStagedKey(): Promise<void>;
  /**
   * A second 256-bit secret, held the same way, that signs (HMAC) the audit trail's head: someone
   * with only the database key can read and edit the file but cannot sign a head. Created on first
   * use (`created` says so: a new trail's head may then be signed from scratch); not changed by a
   * database key rotation.
   */
  loadOrCreateAuditKey(): Promise<{ key: Buffer; created: boolean }>;
}
