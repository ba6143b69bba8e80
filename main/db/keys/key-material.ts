import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/ipc';
import { KEY_BYTES } from '../connection';

export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/** Parses a key written as 64 hex characters (surrounding whitespace allowed). */
export function parseHexKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (!HEX_KEY.test(trimmed))
    throw new AppError(
      'DB_KEY_INVALID',
      `The database key in ${where} is not in the expected form (64 hexadecimal characters). Please call IT support.`,
    );
  return Buffer.from(trimmed, 'hex');
}
