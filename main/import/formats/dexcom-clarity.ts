import { pendingReader } from './pending';
export const readDexcomClarity = pendingReader;
export function isDexcomClarityHeader(line: string): boolean {
  return /^\s*"?Index"?,\s*"?Timestamp \(YYYY-MM-DDThh:mm:ss\)"?/.test(line);
}
