/**
 * A flag a named guideline raised on a value: which guideline, which rule fired (in words, with its
 * threshold), the category it puts the value in, and how urgent it is. `red` flags require a review note.
 */
export type FlagLevel = 'normal' | 'info' | 'amber' | 'red';

export interface GuidelineFlag {
  /** What is judged: `bloodPressure`, `glucose`, `bmi`, `spo2`, `temperature`, `news2`. */
  subject: string;
  /** The guideline by name, e.g. "ACC/AHA 2017". */
  guideline: string;
  /** The category, e.g. "Stage 2 hypertension". */
  category: string;
  /** The rule that fired, with its threshold, e.g. "systolic 140 or more". */
  rule: string;
  level: FlagLevel;
}

const ORDER: Readonly<Record<FlagLevel, number>> = { normal: 0, info: 1, amber: 2, red: 3 };

/** The more urgent of two levels. */
export function worseLevel(a: FlagLevel, b: FlagLevel): FlagLevel {
  return ORDER[a] >= ORDER[b] ? a : b;
}

/** True when any flag is red: the review then needs a note. */
export function anyRed(flags: readonly GuidelineFlag[]): boolean {
  return flags.some((f) => f.level === 'red');
}
