import { pendingReader } from './pending';
export const readOpenMHealth = pendingReader;
