/**
 * The thread that reads the later part of a large export.xml (see ./later-part.ts): from a top-level
 * `<Record` to the end of the file, with the same scanner and handler as a whole-file read, started as if
 * `<HealthData>` were already open. It posts its records in batches, stays a few batches ahead at most,
 * and at the end posts what only the end of the file settles.
 */
import { regularFileChunks } from '../../regular-file';
import type { MessagePort } from 'node:worker_threads';
import type { HomeRecord } from '../../../../shared/home-data/record';
import type { HomeImportEvent } from '../events';
import { CHUNK_BYTES } from '../source-file';
import { MAX_BATCHES_AHEAD, type FromLaterPart, type LaterPartData } from './later-part';
import { HealthExportHandler, SCANNER_OPTIONS } from './reader';
import { HealthXmlScanner, XmlError } from './xml-scanner';

const RECORDS_PER_BATCH = 2000;

export async function serveLaterPart(port: MessagePort, data: LaterPartData): Promise<void> {
  let ahead = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    ahead--;
    wake?.();
    wake = undefined;
  });
  const post = (message: FromLaterPart): void => port.postMessage(message);
  const handler = new HealthExportHandler({ laterPart: true });
  const scanner = new HealthXmlScanner(handler, { ...SCANNER_OPTIONS, openElements: ['HealthData'] });
  let records: HomeRecord[] = [];
  const held: HomeImportEvent[] = [];
  let bytesRead = 0;
  const sort = (): void => {
    for (const event of handler.queue) {
      if (event.type === 'record') records.push(event.record);
      else held.push(event);
    }
    handler.queue.length = 0;
  };
  const flush = async (): Promise<void> => {
    if (records.length === 0) return;
    post({ type: 'records', records, bytesRead });
    records = [];
    ahead++;
    while (ahead >= MAX_BATCHES_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
  };
  let fault: { message: string; line: number } | undefined;
  try {
    try {
      for await (const chunk of regularFileChunks(data.path, {
        start: data.start,
        ...(data.size !== undefined ? { end: data.size - 1 } : {}),
        highWaterMark: CHUNK_BYTES,
      })) {
        bytesRead += (chunk as Buffer).length;
        scanner.push((chunk as Buffer).toString('latin1'));
        sort();
        if (records.length >= RECORDS_PER_BATCH) await flush();
      }
      scanner.end();
    } catch (error) {
      // Not well-formed: what was found before the fault still goes over, then the fault with its line.
      if (!(error instanceof XmlError)) throw error;
      fault = { message: error.message, line: error.line };
    }
    sort();
    await flush();
    post({
      type: 'end',
      bytesRead,
      held,
      state: handler.laterPartState(),
      ...(fault ? { fault } : {}),
    });
  } catch {
    // An unreadable file or a bug: its text may quote the file, so only the fact crosses.
    post({ type: 'failed' });
  }
  port.close();
}
