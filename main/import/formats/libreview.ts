import { pendingReader } from './pending';
export const readLibreView = pendingReader;
export function isLibreViewHead(lines: readonly string[]): boolean {
  return lines.some((l) => /^"?Device"?,\s*"?Serial Number"?,\s*"?Device Timestamp"?/.test(l));
}
