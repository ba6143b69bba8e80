/**
 * The time axis of the trend charts, pure: where ticks go in a window and how they read (local time).
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * A time-axis label for a window this wide (local time): hours and minutes within two days, the day
 * and month within four months, the month and year beyond. Never seconds: vitals are not timed to them.
 */
export function axisLabel(at: number, windowMs: number): string {
  const d = new Date(at);
  if (windowMs <= 2 * DAY) return `${two(d.getHours())}:${two(d.getMinutes())}`;
  if (windowMs <= 120 * DAY) return `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  return `${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

/** Tick positions for a window: whole hours, days, weeks or months, at most about `max` of them. */
export function axisTicks(from: number, to: number, max = 8): number[] {
  const span = to - from;
  const steps = [
    HOUR / 4,
    HOUR / 2,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    7 * DAY,
    14 * DAY,
  ];
  const step = steps.find((s) => span / s <= max);
  const ticks: number[] = [];
  if (step) {
    // Aligned to local midnight so days start at 00:00 and hours fall on the hour.
    const origin = new Date(from);
    origin.setHours(0, 0, 0, 0);
    let t = origin.getTime();
    while (t < from) t += step;
    for (; t <= to; t += step) ticks.push(t);
    return ticks;
  }
  // Months: the first of each month (every second or third for long windows).
  const monthStep = Math.max(1, Math.ceil(span / (30 * DAY) / max));
  const d = new Date(from);
  d.setDate(1);
  d.setHours(0, 0, 0, 0);
  d.setMonth(d.getMonth() + 1);
  for (; d.getTime() <= to; d.setMonth(d.getMonth() + monthStep)) ticks.push(d.getTime());
  return ticks;
}
