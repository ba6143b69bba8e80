import { pendingReader } from './pending';
export const readFhirBundle = pendingReader;
export const readFhirNdjson = pendingReader;
