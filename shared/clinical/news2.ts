/**
 * NEWS2, the National Early Warning Score 2 (Royal College of Physicians, "National Early Warning Score
 * (NEWS) 2: Standardising the assessment of acute-illness severity in the NHS", 2017; chart 1 for the
 * parameter bands, chart 2 for SpO2 scale 2, table 1 for the clinical-risk thresholds). Adults only.
 *
 * The chart records whole numbers for rates, saturation and pressure and one decimal for temperature, so
 * values are rounded that way before they are banded (a measured 90.6 /min is charted as 91).
 */
import { roundTo } from './units';
import type { ConsciousnessLevel } from './vital-signs';

/** ACVPU: alert, new confusion, voice, pain, unresponsive. */
export type Consciousness = 'alert' | 'confusion' | 'voice' | 'pain' | 'unresponsive';
export const CONSCIOUSNESS_LEVELS: readonly Consciousness[] = [
  'alert',
  'confusion',
  'voice',
  'pain',
  'unresponsive',
];

/** Scale 2 is for hypercapnic respiratory failure (target 88–92 %) and is chosen by a clinician. */
export type Spo2Scale = 1 | 2;

export type News2Parameter =
  'respiratoryRate' | 'spo2' | 'airOrOxygen' | 'systolic' | 'pulse' | 'consciousness' | 'temperature';

/** The chart's order of the seven parameters. */
export const NEWS2_PARAMETERS: readonly News2Parameter[] = [
  'respiratoryRate',
  'spo2',
  'airOrOxygen',
  'systolic',
  'pulse',
  'consciousness',
  'temperature',
];

export const NEWS2_PARAMETER_NAMES: Readonly<Record<News2Parameter, string>> = {
  respiratoryRate: 'respiration rate',
  spo2: 'oxygen saturation',
  airOrOxygen: 'air or oxygen',
  systolic: 'systolic blood pressure',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
};

export type ParameterScore = 0 | 1 | 2 | 3;

export interface News2Input {
  respiratoryRate?: number | undefined;
  spo2?: number | undefined;
  /** true: supplemental oxygen; false: room air. */
  onOxygen?: boolean | undefined;
  systolic?: number | undefined;
  pulse?: number | undefined;
  /** In words, or as the stored ACVPU letter ('A', 'C', 'V', 'P', 'U'). */
  consciousness?: Consciousness | ConsciousnessLevel | undefined;
  /** °C */
  temperature?: number | undefined;
  /** Default 1. */
  spo2Scale?: Spo2Scale | undefined;
}

export function scoreRespiratoryRate(perMinute: number): ParameterScore {
  const r = Math.round(perMinute);
  if (r <= 8) return 3;
  if (r <= 11) return 1;
  if (r <= 20) return 0;
  if (r <= 24) return 2;
  return 3;
}

/** SpO2 scale 1; air or oxygen is scored separately. */
export function scoreSpo2Scale1(percent: number): ParameterScore {
  const s = Math.round(percent);
  if (s <= 91) return 3;
  if (s <= 93) return 2;
  if (s <= 95) return 1;
  return 0;
}

/** SpO2 scale 2: above the 88–92 % target is only scored when the patient is on oxygen. */
export function scoreSpo2Scale2(percent: number, onOxygen: boolean): ParameterScore {
  const s = Math.round(percent);
  if (s <= 83) return 3;
  if (s <= 85) return 2;
  if (s <= 87) return 1;
  if (s <= 92) return 0;
  if (!onOxygen) return 0;
  if (s <= 94) return 1;
  if (s <= 96) return 2;
  return 3;
}

export function scoreSpo2(percent: number, onOxygen: boolean, scale: Spo2Scale = 1): ParameterScore {
  return scale === 2 ? scoreSpo2Scale2(percent, onOxygen) : scoreSpo2Scale1(percent);
}

export function scoreAirOrOxygen(onOxygen: boolean): ParameterScore {
  return onOxygen ? 2 : 0;
}

export function scoreSystolic(mmHg: number): ParameterScore {
  const p = Math.round(mmHg);
  if (p <= 90) return 3;
  if (p <= 100) return 2;
  if (p <= 110) return 1;
  if (p <= 219) return 0;
  return 3;
}

export function scorePulse(perMinute: number): ParameterScore {
  const p = Math.round(perMinute);
  if (p <= 40) return 3;
  if (p <= 50) return 1;
  if (p <= 90) return 0;
  if (p <= 110) return 1;
  if (p <= 130) return 2;
  return 3;
}

export function scoreConsciousness(level: Consciousness | ConsciousnessLevel): ParameterScore {
  return level === 'alert' || level === 'A' ? 0 : 3;
}

export function scoreTemperature(celsius: number): ParameterScore {
  const t = roundTo(celsius, 1);
  if (t <= 35.0) return 3;
  if (t <= 36.0) return 1;
  if (t <= 38.0) return 0;
  if (t <= 39.0) return 1;
  return 2;
}

/** Clinical risk (RCP NEWS2 table 1). */
export type News2Band = 'low' | 'low-medium' | 'medium' | 'high';

export const NEWS2_BAND_RESPONSES: Readonly<Record<News2Band, string>> = {
  low: 'Low clinical risk: ward-based response',
  'low-medium': 'Low–medium clinical risk (a score of 3 in one parameter): urgent ward-based response',
  medium: 'Medium clinical risk: key threshold for urgent response',
  high: 'High clinical risk: urgent or emergency response',
};

export function news2Band(aggregate: number, anySingleThree: boolean): News2Band {
  if (aggregate >= 7) return 'high';
  if (aggregate >= 5) return 'medium';
  if (anySingleThree) return 'low-medium';
  return 'low';
}

export type News2Scores = Partial<Record<News2Parameter, ParameterScore>>;

export type News2Result =
  | {
      complete: true;
      scores: Readonly<Record<News2Parameter, ParameterScore>>;
      aggregate: number;
      band: News2Band;
      spo2Scale: Spo2Scale;
    }
  | {
      /** No aggregate is shown while a parameter is missing: a partial sum would look reassuringly low. */
      complete: false;
      scores: Readonly<News2Scores>;
      missing: readonly News2Parameter[];
      spo2Scale: Spo2Scale;
    };

const present = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Scores each present parameter; aggregates and bands only when all seven are there. */
export function computeNews2(input: News2Input): News2Result {
  const scale: Spo2Scale = input.spo2Scale ?? 1;
  const scores: News2Scores = {};
  if (present(input.respiratoryRate)) scores.respiratoryRate = scoreRespiratoryRate(input.respiratoryRate);
  // Scale 2 needs to know about oxygen to score saturations above target; scale 1 does not.
  if (present(input.spo2) && (scale === 1 || input.onOxygen !== undefined)) {
    scores.spo2 = scoreSpo2(input.spo2, input.onOxygen ?? false, scale);
  }
  if (input.onOxygen !== undefined) scores.airOrOxygen = scoreAirOrOxygen(input.onOxygen);
  if (present(input.systolic)) scores.systolic = scoreSystolic(input.systolic);
  if (present(input.pulse)) scores.pulse = scorePulse(input.pulse);
  if (input.consciousness !== undefined) scores.consciousness = scoreConsciousness(input.consciousness);
  if (present(input.temperature)) scores.temperature = scoreTemperature(input.temperature);

  // Missing means not measured: a scale-2 saturation waiting on "air or oxygen" is not itself missing.
  const measured: Record<News2Parameter, boolean> = {
    respiratoryRate: present(input.respiratoryRate),
    spo2: present(input.spo2),
    airOrOxygen: input.onOxygen !== undefined,
    systolic: present(input.systolic),
    pulse: present(input.pulse),
    consciousness: input.consciousness !== undefined,
    temperature: present(input.temperature),
  };
  const missing = NEWS2_PARAMETERS.filter((p) => !measured[p]);
  if (missing.length > 0) return { complete: false, scores, missing, spo2Scale: scale };

  const full = scores as Record<News2Parameter, ParameterScore>;
  const values = NEWS2_PARAMETERS.map((p) => full[p]);
  const aggregate = values.reduce<number>((sum, s) => sum + s, 0);
  return {
    complete: true,
    scores: full,
    aggregate,
    band: news2Band(aggregate, values.includes(3)),
    spo2Scale: scale,
  };
}

/** "Missing: pulse, temperature" for the score panel. */
export function describeMissing(missing: readonly News2Parameter[]): string {
  return `NEWS2 needs every parameter. Missing: ${missing.map((p) => NEWS2_PARAMETER_NAMES[p]).join(', ')}.`;
}
