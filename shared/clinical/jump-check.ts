/**
 * Jumps: a value that differs from this patient's previous value of the same vital by more than a
 * vital's threshold, within that vital's time window, is confirmed before it is saved. When reading the
 * typed number in another unit of the same vital (kg/lb, °C/°F, mg/dL/mmol/L, cm/in, mmHg/kPa) would
 * bring it back within the threshold, that reading is offered: "187 kg — last was 85 kg on 12 Nov. Did
 * you mean 187 lb (84.8 kg)?"
 *
 * Thresholds are in the canonical unit (VITALS); a jump is strictly more than the threshold, so a change
 * of exactly the threshold is ordinary. The window is measured between the two measurement times.
 * docs/clinical-checks.md lists the same table for staff.
 */
import { checkPlausible } from './plausibility';
import { displayValue, formatVitalPlain, roundTo, toCanonical, unitOptions } from './units';
import { VITALS, type VitalKind } from './vital-signs';

export type JumpLimit =
  /** More than this fraction of the previous value, either way. */
  | { readonly type: 'relative'; readonly fraction: number }
  /** More than this many canonical units, either way. */
  | { readonly type: 'absolute'; readonly amount: number }
  /** More than this many times the previous value, or less than its 1/factor. */
  | { readonly type: 'ratio'; readonly factor: number };

export interface JumpRule {
  /** null: this vital is not checked for jumps. */
  readonly limit: JumpLimit | null;
  /** Only a previous value measured within this many milliseconds counts. */
  readonly windowMs: number;
  readonly reason: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const JUMP_RULES: Readonly<Record<VitalKind, JumpRule>> = {
  bodyWeight: {
    limit: { type: 'relative', fraction: 0.1 },
    windowMs: 30 * DAY,
    reason:
      'An adult rarely gains or loses 10 % of body weight in a month (that is severe oedema or dehydration); a lb/kg mix-up is a factor of 2.2.',
  },
  bodyHeight: {
    limit: { type: 'absolute', amount: 5 },
    windowMs: 365 * DAY,
    reason:
      'Adult height changes by well under 5 cm a year, and repeat measurements agree within 1–2 cm; an in/cm mix-up is a factor of 2.54.',
  },
  glucose: {
    limit: { type: 'ratio', factor: 4 },
    windowMs: DAY,
    reason:
      'Glucose swings widely with meals and insulin, but rarely fourfold within a day; a mmol/L value entered as mg/dL is a factor of 18.',
  },
  bodyTemperature: {
    limit: { type: 'absolute', amount: 2.5 },
    windowMs: 4 * HOUR,
    reason:
      'Even a rigor raises core temperature by about 1 °C an hour; more than 2.5 °C within 4 hours is more often another site or a °F/°C slip.',
  },
  heartRate: {
    limit: { type: 'absolute', amount: 40 },
    windowMs: HOUR,
    reason:
      'A seated patient’s pulse rarely moves by more than 40 /min within the hour of a visit; transposed digits (72 → 27) do.',
  },
  respiratoryRate: {
    limit: { type: 'absolute', amount: 12 },
    windowMs: HOUR,
    reason:
      'Resting breathing rarely changes by more than 12 /min within an hour; a dropped or doubled digit (16 → 6, 16 → 61) does.',
  },
  spo2: {
    limit: { type: 'absolute', amount: 10 },
    windowMs: HOUR,
    reason:
      'A fall or rise of more than 10 points within an hour is an emergency or a slip (97 → 79); either way it is worth a second look.',
  },
  systolic: {
    limit: { type: 'absolute', amount: 50 },
    windowMs: HOUR,
    reason:
      'Repeat office readings within an hour differ by well under 50 mmHg (white-coat effect is ~10–20 mmHg); more is usually a slip.',
  },
  diastolic: {
    limit: { type: 'absolute', amount: 30 },
    windowMs: HOUR,
    reason:
      'Repeat office readings within an hour differ by well under 30 mmHg diastolic; more is usually a slip.',
  },
  meanArterialPressure: {
    limit: null,
    windowMs: 0,
    reason: 'Derived from the systolic and diastolic, which are checked themselves.',
  },
  bmi: {
    limit: null,
    windowMs: 0,
    reason: 'Derived from weight and height, which are checked themselves; it is not recorded on its own.',
  },
  painScore: {
    limit: null,
    windowMs: 0,
    reason: 'Pain changes freely with movement and analgesia; every change is a real answer.',
  },
  inhaledOxygenFlow: {
    limit: null,
    windowMs: 0,
    reason: 'Staff set and titrate oxygen flow themselves; a change is an order, not a measurement.',
  },
};

export interface PreviousValue {
  /** Canonical unit. */
  readonly value: number;
  /** When it was measured, ISO 8601. */
  readonly effectiveAt: string;
}

export interface UnitReading {
  /** The number as typed. */
  readonly number: number;
  /** The unit it is read in (UCUM code). */
  readonly unit: string;
  /** That reading in the canonical unit. */
  readonly value: number;
}

export interface JumpFinding {
  readonly kind: VitalKind;
  readonly value: number;
  readonly previous: PreviousValue;
  readonly limit: JumpLimit;
  readonly windowMs: number;
  /** The unit the value was entered in, when known. */
  readonly enteredUnit: string | undefined;
  /** The typed number read in another unit, when that explains the jump. */
  readonly suggestion: UnitReading | null;
}

/** Whether `next` differs from `previous` by more than the limit. */
export function exceeds(limit: JumpLimit, previous: number, next: number): boolean {
  switch (limit.type) {
    case 'relative':
      return Math.abs(next - previous) > limit.fraction * Math.abs(previous);
    case 'absolute':
      return Math.abs(next - previous) > limit.amount;
    case 'ratio':
      if (previous <= 0 || next <= 0) return previous !== next;
      return next > previous * limit.factor || next * limit.factor < previous;
  }
}

/**
 * The jump from this patient's previous value of `kind`, or null when there is none to ask about.
 * `at` is when the new value was measured (the caller's clock). `enteredUnit`, when given, is the unit the
 * nurse typed in: only then is another unit offered, because only then is the typed number known.
 */
export function checkJump(input: {
  kind: VitalKind;
  value: number;
  previous: PreviousValue | undefined;
  at: Date;
  enteredUnit?: string | undefined;
}): JumpFinding | null {
  const { kind, value, previous, at, enteredUnit } = input;
  const rule = JUMP_RULES[kind];
  if (!rule.limit || !previous) return null;
  const since = Math.abs(at.getTime() - new Date(previous.effectiveAt).getTime());
  if (!(since <= rule.windowMs)) return null;
  if (!exceeds(rule.limit, previous.value, value)) return null;
  return {
    kind,
    value,
    previous,
    limit: rule.limit,
    windowMs: rule.windowMs,
    enteredUnit,
    suggestion: enteredUnit ? otherUnitReading(kind, value, enteredUnit, previous.value, rule.limit) : null,
  };
}

/** The typed number read in another unit, if that lands within the limit of the previous value. */
function otherUnitReading(
  kind: VitalKind,
  value: number,
  enteredUnit: string,
  previous: number,
  limit: JumpLimit,
): UnitReading | null {
  const entered = unitOptions(kind).find((u) => u.code === enteredUnit);
  if (!entered) return null;
  const typed = displayValue(kind, value, enteredUnit);
  for (const other of unitOptions(kind)) {
    if (other.code === enteredUnit) continue;
    const reread = toCanonical(kind, typed, other.code);
    if (checkPlausible(kind, reread).ok && !exceeds(limit, previous, reread))
      return { number: typed, unit: other.code, value: reread };
  }
  return null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "12 Nov" (this year), "12 Nov 2025" (another year), "at 10:42" (today), in local time. */
export function whenText(iso: string, now: Date): string {
  const d = new Date(iso);
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  if (sameDay)
    return `at ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const year = d.getFullYear() === now.getFullYear() ? '' : ` ${d.getFullYear()}`;
  return `on ${d.getDate()} ${MONTHS[d.getMonth()]}${year}`;
}

/** "more than 10 % within 30 days", "more than 40 bpm within 1 hour". */
export function limitText(kind: VitalKind, limit: JumpLimit, windowMs: number): string {
  const days = windowMs / DAY;
  const hours = windowMs / HOUR;
  const within = Number.isInteger(days)
    ? `${days} day${days === 1 ? '' : 's'}`
    : `${hours} hour${hours === 1 ? '' : 's'}`;
  const size =
    limit.type === 'relative'
      ? `${roundTo(limit.fraction * 100, 1)} %`
      : limit.type === 'absolute'
        ? `${limit.amount} ${VITALS[kind].unitLabel}`
        : `a factor of ${limit.factor}`;
  return `more than ${size} within ${within}`;
}

/**
 * For the nurse, in the unit the value was entered in:
 * "187 kg — last was 85 kg on 12 Nov. Did you mean 187 lb (84.8 kg)?" or, with no unit to offer,
 * "131 bpm — last was 72 bpm at 10:42, a change of more than 40 bpm within 1 hour. Is that right?"
 */
export function jumpQuestion(finding: JumpFinding, now: Date): string {
  const unit = finding.enteredUnit ?? VITALS[finding.kind].unit;
  const head = `${formatVitalPlain(finding.kind, finding.value, unit)} — last was ${formatVitalPlain(finding.kind, finding.previous.value, unit)} ${whenText(finding.previous.effectiveAt, now)}`;
  if (finding.suggestion) return `${head}. Did you mean ${suggestionText(finding)}?`;
  return `${head}, a change of ${limitText(finding.kind, finding.limit, finding.windowMs)}. Is that right?`;
}

/** "187 lb (84.8 kg)": the other reading, and what it is in the entered unit. */
export function suggestionText(finding: JumpFinding): string {
  const s = finding.suggestion;
  if (!s) return '';
  const unit = finding.enteredUnit ?? VITALS[finding.kind].unit;
  return `${formatVitalPlain(finding.kind, s.value, s.unit)} (${formatVitalPlain(finding.kind, s.value, unit)})`;
}

/** For main's refusal: no value and no date, so it is safe as error text. */
export function jumpRefusal(finding: JumpFinding): string {
  const name = VITALS[finding.kind].display.replace(/ \(.*\)$/, '').toLowerCase();
  return `This ${name} differs from the patient’s previous one by ${limitText(finding.kind, finding.limit, finding.windowMs)}; confirm it before it is saved.`;
}
