/** A device clock's offset from the workstation's, in words for the nurse: "1 year 6 months behind". */

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
