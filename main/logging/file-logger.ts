/**
 * The main process's log file, `<dataDir>/logs/main.log`, one JSON object per line (pino). Writes
 * are synchronous: the volume is small (events, not data) and a crash must not lose the lines that
 * explain it. Use it behind `redactingLogger`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Logger } from './logger';

export const LOG_FILE = path.join('logs', 'main.log');

export function createFileLogger(dataDir: string): Logger {
  const file = path.join(dataDir, LOG_FILE);
  // The data directory holds patient data, and the logs sit inside it: this user only.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const log = pino(
    { base: null, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'event' },
    pino.destination({ dest: file, sync: true, mkdir: true }),
  );
  return {
    info: (event, fields) => log.info(fields ?? {}, event),
    warn: (event, fields) => log.warn(fields ?? {}, event),
    error: (event, fields) => log.error(fields ?? {}, event),
  };
}
