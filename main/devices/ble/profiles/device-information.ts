/**
 * Device Information Service 0x180A (Device Information Service 1.1 §3): UTF-8 strings, recorded with
 * every reading for provenance. Only the four fields an Observation's device needs are read.
 */
export const DEVICE_INFORMATION_SERVICE = '180a';
export const MANUFACTURER_NAME = '2a29';
export const MODEL_NUMBER = '2a24';
export const SERIAL_NUMBER = '2a25';
export const FIRMWARE_REVISION = '2a26';

export interface DeviceInformation {
  manufacturer?: string;
  model?: string;
  serial?: string;
  firmware?: string;
}

export const DEVICE_INFORMATION_FIELDS: readonly [keyof DeviceInformation, string][] = [
  ['manufacturer', MANUFACTURER_NAME],
  ['model', MODEL_NUMBER],
  ['serial', SERIAL_NUMBER],
  ['firmware', FIRMWARE_REVISION],
];

const MAX_LENGTH = 64;
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * A Device Information string: UTF-8 (invalid sequences replaced), trailing NULs that some devices pad
 * with removed, control characters dropped, trimmed and capped; undefined when nothing is left.
 */
export function parseDeviceInformationString(bytes: Uint8Array): string | undefined {
  const text = decoder
    .decode(bytes)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, MAX_LENGTH);
  return text.length > 0 ? text : undefined;
}
