/**
 * What the card says about a device's live value: acceptable now, too old, from a device that went
 * away, or held because a shared device named a user not matched to this patient. The screen only
 * explains; main decides again on every accept.
 */
import type { DeviceReading } from '../../../../shared/devices/reading';

export type LiveState = 'fresh' | 'stale' | 'disconnected' | 'earlier' | 'held';

export interface UserMatch {
  deviceId: string;
  deviceUser: number;
}

export function liveStateOf(
  reading: DeviceReading,
  facts: {
    connected: ReadonlySet<string>;
    /** Readings whose device went away since they came (even if it is back now). */
    ended?: ReadonlySet<string>;
    /** Readings that came before this patient was opened on this screen: maybe the previous patient's. */
    earlier?: ReadonlySet<string>;
    now: number;
    matches: readonly UserMatch[];
  },
): LiveState {
  const deviceId = reading.provenance.deviceId;
  if (!facts.connected.has(deviceId) || facts.ended?.has(reading.readingId)) return 'disconnected';
  if (facts.earlier?.has(reading.readingId)) return 'earlier';
  if (reading.acceptableUntil && facts.now > Date.parse(reading.acceptableUntil)) return 'stale';
  if (isHeld(reading, facts.matches)) return 'held';
  return 'fresh';
}

/** A shared cuff's or scale's reading for a user not matched to this patient's visit. */
export function isHeld(reading: DeviceReading, matches: readonly UserMatch[]): boolean {
  const user = reading.deviceUser;
  if (user === undefined) return false;
  return !matches.some((m) => m.deviceId === reading.provenance.deviceId && m.deviceUser === user);
}

/** "12 s ago", "2 min ago", "1 h ago". */
export function agoText(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}

/** The sentence a card shows for a value that cannot be accepted. */
export function notAcceptableText(
  state: Exclude<LiveState, 'fresh'>,
  reading: DeviceReading,
  deviceName: string,
  now: number,
  /** The device is back, but this value came before it went away. */
  reconnected = false,
  /** Whose record is open ("BERG, Lars"), named when the value came before it was. */
  patientLabel = 'this patient',
): string {
  const ago = agoText(reading.receivedAt, now);
  if (state === 'earlier')
    return `Came ${ago}, before ${patientLabel} was opened — may be the previous patient’s; take a new reading`;
  if (state === 'disconnected')
    return reconnected
      ? `Last from ${deviceName} ${ago}, before it disconnected — take a new reading`
      : `Last from ${deviceName} ${ago} — disconnected`;
  if (state === 'stale') return `Last from ${deviceName} ${ago} — too old to accept; take a new reading`;
  return `Reading from user ${reading.deviceUser} of ${deviceName} — whose is it?`;
}
