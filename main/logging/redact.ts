/**
 * The redactor in front of every log sink. Logs carry fixed event names and only the fields named
 * in an allow-list of keys known to hold no PHI (channel names, error codes, roles, counts, driver
 * ids). Any other field keeps its key but loses its value, so a developer sees that something was
 * there without it being written. Deny-listing PHI keys or matching names would fail open on the
 * first field nobody thought of; an allow-list fails closed.
 */
import type { LogFields, Logger } from './logger';

/** Field keys whose values are codes, names of things in the app, or counts: never about a patient. */
export const SAFE_LOG_KEYS: ReadonlySet<string> = new Set([
  'action',
  'channel',
  'code',
  'count',
  'driver',
  'durationMs',
  'error',
  'field',
  'fields',
  'host',
  'issues',
  'keys',
  'kind',
  'lockedFields',
  'provider',
  'reason',
  'role',
  'state',
  'status',
  'transport',
  'twoFactor',
  'unplugged',
  'version',
]);

export const REDACTED = '[redacted]';
const EVENT_NAME = /^[a-z][A-Za-z0-9_.-]{0,80}$/;
// Even under a safe key, a value must look like a code or an identifier of the app: no spaces, short.
const TOKEN = /^[A-Za-z0-9_.:/@+#-]{0,120}$/;

function safeString(key: string, value: string): string {
  // Error messages can quote their input (a patient's name in a failed parse): keep the class only.
  if (key === 'error') return /^[A-Za-z]*Error\b/.exec(value)?.[0] ?? (TOKEN.test(value) ? value : REDACTED);
  return TOKEN.test(value) ? value : REDACTED;
}

export function redactFields(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return undefined;
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!SAFE_LOG_KEYS.has(key)) {
      out[key] = REDACTED;
    } else if (typeof value === 'string') {
      out[key] = safeString(key, value);
    } else if (Array.isArray(value)) {
      out[key] = value.slice(0, 50).map((v: string) => safeString(key, v));
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function redactEvent(event: string): string {
  return EVENT_NAME.test(event) ? event : 'log.invalid_event_name';
}

/** Wraps a logger so everything written through it has passed the redactor. */
export function redactingLogger(inner: Logger): Logger {
  return {
    info: (event, fields) => inner.info(redactEvent(event), redactFields(fields)),
    warn: (event, fields) => inner.warn(redactEvent(event), redactFields(fields)),
    error: (event, fields) => inner.error(redactEvent(event), redactFields(fields)),
  };
}
