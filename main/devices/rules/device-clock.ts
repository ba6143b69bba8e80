/**
 * The device-clock rule: when a reading was taken, and whether it is a live reading or one from the
 * device's memory. A device's own time is believed only within the policy's tolerance of ours; a live
 * reading from a device whose clock is further off is filed at its time of receipt, with a note that
 * says so and the offset kept. Readings the device sends from its memory never become a live value.
 * Pure: the caller passes every time in.
 */

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
      note: `Device clock is ${clockOffsetWords(knownOffsetMs)} — time corrected by that much`,
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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONTH = 30.436875 * DAY;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const pair = (major: number, majorUnit: string, minor: number, minorUnit: string) =>
  minor > 0 ? `${plural(major, majorUnit)} ${plural(minor, minorUnit)}` : plural(major, majorUnit);

/** "1 year 6 months behind", "12 minutes ahead": a clock offset (device minus ours) in words. */
export function clockOffsetWords(offsetMs: number): string {
  return `${durationWords(Math.abs(offsetMs))} ${offsetMs < 0 ? 'behind' : 'ahead'}`;
}

/** A duration in its two largest units, rounded in the smaller one. */
export function durationWords(ms: number): string {
  if (ms >= 365 * DAY) {
    const months = Math.round(ms / MONTH);
    return pair(Math.floor(months / 12), 'year', months % 12, 'month');
  }
  if (ms >= 30 * DAY) {
    const months = Math.floor(ms / MONTH);
    return pair(months, 'month', Math.round((ms - months * MONTH) / DAY), 'day');
  }
  if (ms >= DAY) {
    const hours = Math.round(ms / HOUR);
    return pair(Math.floor(hours / 24), 'day', hours % 24, 'hour');
  }
  if (ms >= HOUR) {
    const minutes = Math.round(ms / MINUTE);
    return pair(Math.floor(minutes / 60), 'hour', minutes % 60, 'minute');
  }
  return plural(Math.max(1, Math.round(ms / MINUTE)), 'minute');
}
