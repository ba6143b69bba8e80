/**
 * The device-clock rule: when a reading was taken, and whether it is a live reading or one from the
 * device's memory. A device's own time is believed only within the policy's tolerance of ours; a live
 * reading from a device whose clock is further off is filed at its time of receipt, with a note that
 * says so and the offset kept. Readings the device sends from its memory never become a live value.
 * Pure: the caller passes every time in.
 */
import { clockOffsetWords, durationWords } from '../../../shared/devices/clock-offset-words';

/** Readings queued in a device arrive right after it connects; later ones were measured now. */
export const DEFAULT_BACKLOG_WINDOW_MS = 2_000;
export const DEFAULT_CLOCK_TOLERANCE_MS = 5 * 60_000;

export interface DeviceTimeFacts {
  /** The time the device stamped on the measurement, if it sent one. */
  deviceTime: Date | undefined;
  receivedAt: Date;
  /** When this connection was made (subscriptions in place). */
  connectedAt: Date;
  /** The protocol says this is a stored record (glucose records fetched with RACP). */
  stored: boolean;
  /** Device clock minus ours, when read from the device's Current Time at connection. */
  knownOffsetMs: number | undefined;
  toleranceMs: number;
  backlogWindowMs?: number;
}

export interface DeviceTimeJudgement {
  origin: 'live' | 'memory';
  /** When to file the reading. */
  measuredAt: Date;
  /** Device clock minus ours, kept with the reading when it is beyond the tolerance. */
  clockOffsetMs?: number;
  /** For the nurse and the record: what was done about the device's clock. */
  note?: string;
}

export function judgeDeviceTime(facts: DeviceTimeFacts): DeviceTimeJudgement {
  const { deviceTime, receivedAt, connectedAt, toleranceMs, knownOffsetMs } = facts;
  if (!deviceTime) return { origin: facts.stored ? 'memory' : 'live', measuredAt: receivedAt };
  const offWrong = knownOffsetMs !== undefined && Math.abs(knownOffsetMs) > toleranceMs;
  // With the device's clock offset known, its times can be put on ours.
  const corrected = offWrong ? new Date(deviceTime.getTime() - knownOffsetMs) : deviceTime;
  const inBacklog =
    receivedAt.getTime() - connectedAt.getTime() <= (facts.backlogWindowMs ?? DEFAULT_BACKLOG_WINDOW_MS);
  const olderThanConnection = corrected.getTime() < connectedAt.getTime() - toleranceMs;

  if (facts.stored || (olderThanConnection && (knownOffsetMs !== undefined || inBacklog))) {
    if (!offWrong) return { origin: 'memory', measuredAt: deviceTime };
    return {
      origin: 'memory',
      measuredAt: corrected,
      clockOffsetMs: knownOffsetMs,
      note: `Device clock is ${clockOffsetWords(knownOffsetMs)} — time corrected`,
    };
  }

  const offsetMs = knownOffsetMs ?? deviceTime.getTime() - receivedAt.getTime();
  if (Math.abs(offsetMs) > toleranceMs) {
    return {
      origin: 'live',
      measuredAt: receivedAt,
      clockOffsetMs: Math.round(offsetMs),
      note: `Device clock is ${clockOffsetWords(offsetMs)} — time of receipt used`,
    };
  }
  // Within the tolerance the device's own time stands, but never later than it reached us.
  return { origin: 'live', measuredAt: deviceTime > receivedAt ? receivedAt : deviceTime };
}

export { clockOffsetWords, durationWords };
