/** Runs a reader to the end and sorts what it said, for the reader tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HomeImportEvent, HomeImportReader } from '../../../main/import/formats/events';
import type { ExportSubject, HomeRecord, ImportProblem } from '../../../shared/home-data/record';
import { homeRecordSchema } from '../../../shared/home-data/record';

export interface Collected {
  records: HomeRecord[];
  problems: ImportProblem[];
  subjects: ExportSubject[];
  progress: { bytesRead: number; bytesTotal?: number }[];
  events: HomeImportEvent[];
}

export async function collect(
  reader: HomeImportReader,
  filePath: string,
  maxBytes = 512 * 1024 * 1024,
  signal?: AbortSignal,
): Promise<Collected> {
  const out: Collected = { records: [], problems: [], subjects: [], progress: [], events: [] };
  for await (const event of reader({ path: filePath, maxBytes, ...(signal ? { signal } : {}) })) {
    out.events.push(event);
    if (event.type === 'record') {
      // Every record a reader emits must pass the shared schema the pipeline stores by.
      homeRecordSchema.parse(event.record);
      out.records.push(event.record);
    } else if (event.type === 'problem') out.problems.push(event.problem);
    else if (event.type === 'subject') out.subjects.push(event.subject);
    else if (event.type === 'progress') out.progress.push(event);
  }
  return out;
}

export function tempDir(): {
  dir: string;
  file: (name: string, content: string | Buffer) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'home-import-'));
  return {
    dir,
    file: (name, content) => {
      const p = path.join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
