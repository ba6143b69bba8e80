import type { ZipEntry } from '../zip/central-directory';
import { pendingReader } from './pending';
export const readAppleHealth = pendingReader;
export function findAppleHealthXmlEntry(entries: readonly ZipEntry[]): ZipEntry | undefined {
  return entries.find((e) => /(^|\/)export\.xml$/.test(e.name));
}
