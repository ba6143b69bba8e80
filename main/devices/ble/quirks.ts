/**
 * Per-model deviations from the Blood Pressure Measurement layout (0x2A35), keyed by the Device
 * Information manufacturer name (0x2A29) and model number (0x2A24). A quirk rewrites the bytes into the
 * specification's layout before the standard parser runs, so the parser itself stays the
 * specification's; a model not listed here is parsed unchanged. Pure.
 *
 * Each entry is listed only with a public capture of the model that shows the deviation (named in
 * test/unit/devices/ble/quirks.test.ts). Matching ignores case, spaces and punctuation: Beurer's own
 * firmware reports the maker as "beurer" or "Beurer GmbH" and the model as its product name ("BM57",
 * "BF600"), so "Beurer GmbH" / "BM 85" and "beurer" / "BM85" are the same cuff.
 */
import {
  BP_FLAG_PULSE_RATE,
  BP_FLAG_STATUS,
  BP_FLAG_TIMESTAMP,
  BP_FLAG_USER_ID,
} from './profiles/blood-pressure';
import type { DeviceInformation } from './profiles/device-information';
import { DATE_TIME_LENGTH } from '../ieee11073';

export type BloodPressureQuirk =
  /** The User ID byte is sent (after the pulse rate) while flags bit 3 says it is absent. */
  | 'user-byte-without-flag'
  /** The pulse rate SFLOAT is sent most significant byte first. */
  | 'big-endian-pulse'
  /** The Measurement Status uint16 is sent most significant byte first. */
  | 'big-endian-status';

export interface ModelQuirks {
  /** Normalised manufacturer prefix ("beurer" matches "Beurer GmbH"). */
  manufacturer: string;
  /** Normalised model number, matched whole. */
  model: string;
  /** How the nurse knows the model, e.g. "Beurer BM85". */
  label: string;
  bloodPressure: readonly BloodPressureQuirk[];
}

/**
 * Beurer BM85: user byte without its flag, pulse rate and status big-endian. Seen in four frames
 * recorded from a BM85 (derdilla/blood-pressure-monitor-fl, pull requests #735 and #737). That project
 * also lists the BM48 and Elite 900 from Beurer's own app, then took them out again for want of a
 * capture; they are not listed here either.
 */
export const MODEL_QUIRKS: readonly ModelQuirks[] = [
  {
    manufacturer: 'beurer',
    model: 'bm85',
    label: 'Beurer BM85',
    bloodPressure: ['user-byte-without-flag', 'big-endian-pulse', 'big-endian-status'],
  },
];

const normalise = (s: string | undefined): string => (s ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');

/** The quirks of this model, or undefined for a model that follows the specification (or is unknown). */
export function quirksFor(info: Pick<DeviceInformation, 'manufacturer' | 'model'>): ModelQuirks | undefined {
  const manufacturer = normalise(info.manufacturer);
  const model = normalise(info.model);
  return MODEL_QUIRKS.find((q) => manufacturer.startsWith(q.manufacturer) && model === q.model);
}

const QUIRK_WORDS: Record<BloodPressureQuirk, string> = {
  'user-byte-without-flag': 'User byte without its flag',
  'big-endian-pulse': 'Pulse rate in reversed byte order',
  'big-endian-status': 'Measurement status in reversed byte order',
};

/** For the device details: "User byte without its flag (Beurer BM85)", one line per quirk. */
export function quirkWords(q: ModelQuirks): string[] {
  return q.bloodPressure.map((id) => `${QUIRK_WORDS[id]} (${q.label})`);
}

function swap(bytes: Uint8Array, offset: number): void {
  const first = bytes[offset]!;
  bytes[offset] = bytes[offset + 1]!;
  bytes[offset + 1] = first;
}

/**
 * A Blood Pressure Measurement rewritten into the specification's layout. The user byte is taken as
 * present only when the frame is exactly one byte longer than its flags say (a fixed firmware that
 * stops sending it is read as sent); a frame too short for its flags is left for the parser to refuse.
 */
export function applyBloodPressureQuirks(
  bytes: Uint8Array,
  quirks: readonly BloodPressureQuirk[] | undefined,
): Uint8Array {
  if (!quirks || quirks.length === 0) return bytes;
  const out = Uint8Array.from(bytes);
  let flags = out[0]!;
  const pulseAt = 7 + (flags & BP_FLAG_TIMESTAMP ? DATE_TIME_LENGTH : 0);
  const lengthOf = (f: number) =>
    pulseAt + (f & BP_FLAG_PULSE_RATE ? 2 : 0) + (f & BP_FLAG_USER_ID ? 1 : 0) + (f & BP_FLAG_STATUS ? 2 : 0);
  if (
    quirks.includes('user-byte-without-flag') &&
    !(flags & BP_FLAG_USER_ID) &&
    out.length === lengthOf(flags) + 1
  ) {
    flags |= BP_FLAG_USER_ID;
    out[0] = flags;
  }
  if (out.length < lengthOf(flags)) return out;
  if (quirks.includes('big-endian-pulse') && flags & BP_FLAG_PULSE_RATE) swap(out, pulseAt);
  if (quirks.includes('big-endian-status') && flags & BP_FLAG_STATUS) swap(out, lengthOf(flags) - 2);
  return out;
}
