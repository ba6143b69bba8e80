/** A key held in memory only: for tests that need a provider and a fresh database per run. */
import { newKey } from './key-material';
import type { DbKeyProvider } from './types';

export function memoryKeyProvider(initial?: Buffer): DbKeyProvider & { current(): Buffer | undefined } {
  let key: Buffer | undefined = initial ? Buffer.from(initial) : undefined;
  let staged: Buffer | undefined;
  const auditKey = newKey();
  let auditKeyGiven = false;
  return {
    kind: 'memory',
    warning: 'The database key is held in memory only (tests).',
    current: () => key,
    async loadOrCreateKey() {
      key ??= newKey();
      return Buffer.from(key);
    },
    async storeRotatedKey(next) {
      key = Buffer.from(next);
    },
    async stageRotatedKey(next) {
      staged = Buffer.from(next);
      return {
        commit: async () => {
          if (staged) key = staged;
          staged = undefined;
        },
        discard: async () => {
          staged = undefined;
        },
      };
    },
    async loadStagedKey() {
      return staged ? Buffer.from(staged) : undefined;
    },
    async discardStagedKey() {
      staged = undefined;
    },
    async loadOrCreateAuditKey() {
      const created = !auditKeyGiven;
      auditKeyGiven = true;
      return { key: Buffer.from(auditKey), created };
    },
  };
}
