export type { DbKeyProvider, DbKeyProviderKind, StagedKey } from './types';
export { keyFileProvider, KEY_FILE_WARNING } from './key-file';
export { envKeyProvider } from './env';
export { memoryKeyProvider } from './memory';
export {
  wrappedKeyProvider,
  KEYCHAIN_UNAVAILABLE,
  WRAPPED_AUDIT_KEY_FILE,
  WRAPPED_KEY_FILE,
  type KeyWrapper,
  type Unwrapped,
} from './wrapped';
