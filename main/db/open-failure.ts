import type { LogFields } from '../logging/logger';

/**
 * Why the encrypted database did not open, as codes IT can act on (the log redactor keeps codes,
 * never free text). A native module built for another runtime, a missing native file, a SQLite or
 * file-system error code: none of these carries patient data.
 */
export function openFailureFields(error: unknown): LogFields {
  const fields: LogFields = {};
  if (error instanceof Error) fields.error = error.name;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') fields.reason = code;
  const message = error instanceof Error ? error.message : '';
  const abi = /NODE_MODULE_VERSION (\d+)\.[^]*?requires\s+NODE_MODULE_VERSION (\d+)/.exec(message);
  if (abi) {
    fields.kind = 'native-module-abi';
    fields.version = `built-${abi[1]}-needs-${abi[2]}`;
  } else if (
    /cannot open shared object|image not found|specified module could not be found|Could not locate the bindings file/i.test(
      message,
    )
  ) {
    fields.kind = 'native-module-missing';
  } else if (/SQLITE_[A-Z_]+/.test(message) && fields.reason === undefined) {
    fields.reason = /SQLITE_[A-Z_]+/.exec(message)?.[0];
  }
  return fields;
}
