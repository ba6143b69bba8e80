/**
 * The logger every service receives. Fields are structured so a redactor can drop
 * anything that may be PHI before it is written; messages are fixed event names.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** For tests: keeps every record so a test can assert what was (not) logged. */
export function memoryLogger(): Logger & { records: { level: string; event: string; fields?: LogFields }[] } {
  const records: { level: string; event: string; fields?: LogFields }[] = [];
  return {
    records,
    info: (event, fields) => records.push({ level: 'info', event, fields }),
    warn: (event, fields) => records.push({ level: 'warn', event, fields }),
    error: (event, fields) => records.push({ level: 'error', event, fields }),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
