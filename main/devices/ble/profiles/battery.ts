/**
 * Battery Level (0x2A19) of the Battery Service 0x180F (Battery Service 1.0 §3.1): uint8, 0–100 %.
 * Values above 100 are reserved and are not shown.
 */
import { parseFailure, parsed, type ParseResult } from '../../parse-result';

export const BATTERY_SERVICE = '180f';
export const BATTERY_LEVEL = '2a19';

export function parseBatteryLevel(bytes: Uint8Array): ParseResult<number> {
  if (bytes.length < 1) return parseFailure('TRUNCATED', 'The battery level message is empty.');
  const level = bytes[0]!;
  if (level > 100) return parseFailure('OUT_OF_RANGE', 'The device sent a battery level above 100%.');
  return parsed(level);
}
