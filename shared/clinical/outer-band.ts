/**
 * Outer band: values that are possible (inside PLAUSIBLE_RANGES, so not refused) but so rare at an intake
 * desk that a one-digit typo is the likelier explanation (respiratory rate "2" for "12" or "20"). Such a
 * value is saved only after a second, explicit confirmation; main refuses it without one.
 *
 * A value is in the outer band when it is strictly below `low` or strictly above `high` (canonical unit
 * of its kind, see VITALS). The limits themselves are ordinary values. `null`: no outer band.
 *
 * Sources: NEWS2 (Royal College of Physicians 2017, chart 1) gives each parameter's highest-scoring
 * band; the outer band starts beyond it, at values that are rare even among patients scoring 3. Others
 * as noted per row. docs/clinical-checks.md lists the same table for staff.
 */
import { formatVitalPlain } from './units';
import { VITALS, type VitalKind } from './vital-signs';

export interface OuterBand {
  /** Values strictly below are in the outer band. */
  readonly low: number | null;
  /** Values strictly above are in the outer band. */
  readonly high: number | null;
  /** Why these limits, in a sentence. */
  readonly reason: string;
}

export const OUTER_BANDS: Readonly<Record<VitalKind, OuterBand>> = {
  respiratoryRate: {
    low: 6,
    high: 40,
    reason:
      'NEWS2 scores ≤ 8 and ≥ 25 /min as 3; below 6 is near-apnoea and above 40 is beyond it, while a dropped digit (12 → 2, 18 → 1) lands there.',
  },
  heartRate: {
    low: 35,
    high: 180,
    reason:
      'NEWS2 scores ≤ 40 and ≥ 131 /min as 3; below 35 is rare complete heart block, above 180 exceeds an adult sinus tachycardia (220 − age).',
  },
  spo2: {
    low: 80,
    high: null,
    reason:
      'NEWS2 scores ≤ 91 % as 3; below 80 % is severe hypoxaemia at a walk-in desk, and the lower end of the range where ISO 80601-2-61 oximeters are validated (70–100 %).',
  },
  bodyTemperature: {
    low: 34,
    high: 41,
    reason:
      'NEWS2 scores ≤ 35.0 °C as 3 and ≥ 39.1 °C as 2; below 34 °C is moderate hypothermia, above 41 °C hyperpyrexia, both rare in people who walk in.',
  },
  systolic: {
    low: 70,
    high: 220,
    reason:
      'NEWS2 scores ≤ 90 and ≥ 220 mmHg as 3; below 70 mmHg is shock, above 220 mmHg beyond NEWS2’s top band.',
  },
  diastolic: {
    low: 40,
    high: 130,
    reason:
      'ACC/AHA 2017 calls > 120 mmHg a hypertensive crisis; 130 leaves the same margin as the systolic limit; below 40 mmHg is seen only in shock or severe aortic regurgitation.',
  },
  meanArterialPressure: {
    low: 50,
    high: 160,
    reason:
      'The MAP of the systolic and diastolic limits, (70 + 2 × 40) / 3 = 50 and (220 + 2 × 130) / 3 = 160, so a pressure inside both is inside this one.',
  },
  bodyWeight: {
    low: 30,
    high: 250,
    reason:
      'Fewer than 1 adult in 1,000 weighs under 30 kg or over 250 kg; a dropped digit (85 → 8.5) or lb typed as kg lands there.',
  },
  bodyHeight: {
    low: 130,
    high: 210,
    reason:
      'Adults outside 130–210 cm are rare (below the shortest adult percentiles, above the tallest); inches typed as cm (67 for 170) land below.',
  },
  bmi: {
    low: 13,
    high: 70,
    reason:
      'WHO severe thinness starts below 16 kg/m² and class III obesity at 40; below 13 and above 70 are rare extremes. BMI is derived, so this limits a weight and height pair.',
  },
  glucose: {
    low: 40,
    high: 500,
    reason:
      'ADA level-2 hypoglycaemia is < 54 mg/dL; below 40 (2.2 mmol/L) is rare and a mmol/L value typed as mg/dL lands there; above 500 most meters approach their “HI” limit (600).',
  },
  painScore: {
    low: null,
    high: null,
    reason: 'Every point of the 0–10 scale is an answer a patient can give.',
  },
  inhaledOxygenFlow: {
    low: null,
    high: 15,
    reason:
      'Standard flowmeters and non-rebreather masks stop at 15 L/min; more is high-flow nasal cannula, not given at an intake desk, and 2 → 20 is a likelier slip.',
  },
};

export interface OuterBandFinding {
  readonly kind: VitalKind;
  readonly value: number;
  readonly side: 'low' | 'high';
  /** The limit crossed, canonical unit. */
  readonly limit: number;
}

/** The outer band a canonical value falls into, or null for an ordinary value. */
export function outerBandOf(kind: VitalKind, value: number): OuterBandFinding | null {
  const band = OUTER_BANDS[kind];
  if (band.low !== null && value < band.low) return { kind, value, side: 'low', limit: band.low };
  if (band.high !== null && value > band.high) return { kind, value, side: 'high', limit: band.high };
  return null;
}

/**
 * For main's refusal: which measurement and which limit, never the value, so it is safe as error text.
 * "This respiratory rate is below 6 breaths/min, which is rare; confirm it before it is saved."
 */
export function outerBandRefusal(finding: OuterBandFinding): string {
  const name = VITALS[finding.kind].display.replace(/ \(.*\)$/, '').toLowerCase();
  const limit = formatVitalPlain(finding.kind, finding.limit);
  return `This ${name} is ${finding.side === 'low' ? 'below' : 'above'} ${limit}, which is rare; confirm it before it is saved.`;
}

/**
 * For the nurse, in the unit the value was entered in:
 * "Respiratory rate 2 breaths/min is below 6 breaths/min. That is rare: is it what you measured?"
 */
export function outerBandQuestion(
  finding: OuterBandFinding,
  unit: string = VITALS[finding.kind].unit,
): string {
  const name = VITALS[finding.kind].display.replace(/ \(.*\)$/, '');
  const value = formatVitalPlain(finding.kind, finding.value, unit);
  const limit = formatVitalPlain(finding.kind, finding.limit, unit);
  return `${name} ${value} is ${finding.side === 'low' ? 'below' : 'above'} ${limit}. That is rare: is it what you measured?`;
}
