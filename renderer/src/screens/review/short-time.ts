/**
 * Short times for a narrow table, full time on hover and focus: "09:43" today, "12 Nov" earlier this
 * year, "12 Nov 2025" before. Local time, like the rest of the screen.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

export function shortTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  if (sameDay) return `${two(d.getHours())}:${two(d.getMinutes())}`;
  const day = `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  return d.getFullYear() === now.getFullYear() ? day : `${day} ${d.getFullYear()}`;
}

/** The full local date and time, for the hover/focus title. */
export function fullTime(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** "↑ 12 mmHg", "↓ 0.4 °C", "↑ 12/↓ 4 mmHg", "no change": a change in words a clinician reads at a glance. */
export function changeText(deltas: readonly number[], unitLabel: string, decimals: number): string {
  const factor = 10 ** decimals;
  const rounded = deltas.map((d) => Math.round(d * factor) / factor);
  if (rounded.every((d) => d === 0)) return 'no change';
  const part = (d: number) => (d === 0 ? '= 0' : `${d > 0 ? '↑' : '↓'} ${Math.abs(d).toFixed(decimals)}`);
  return `${rounded.map(part).join('/')} ${unitLabel}`;
}
