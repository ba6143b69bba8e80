/**
 * Abnormal-value flags for colouring: a plausible value is flagged by the NEWS2 band its parameter score
 * falls in (RCP NEWS2 chart 1). Vitals NEWS2 does not score are not flagged.
 */
import type { VitalKind } from './vital-signs';
import {
  scorePulse,
  scoreRespiratoryRate,
  scoreSpo2,
  scoreSystolic,
  scoreTemperature,
  type ParameterScore,
  type Spo2Scale,
} from './news2';

/** Parameter score 0 → normal, 1 → low-risk, 2 → medium, 3 → high. */
export type AbnormalFlag = 'normal' | 'low-risk' | 'medium' | 'high';

export const FLAG_BY_SCORE: Readonly<Record<ParameterScore, AbnormalFlag>> = {
  0: 'normal',
  1: 'low-risk',
  2: 'medium',
  3: 'high',
};

export interface FlagContext {
  /** Supplemental oxygen; only matters for SpO2 on scale 2. Default: room air. */
  onOxygen?: boolean | undefined;
  spo2Scale?: Spo2Scale | undefined;
}

/** The NEWS2 parameter score of a single vital, or undefined when NEWS2 does not score that vital. */
export function parameterScoreOf(
  kind: VitalKind,
  value: number,
  context: FlagContext = {},
): ParameterScore | undefined {
  if (!Number.isFinite(value)) return undefined;
  switch (kind) {
    case 'heartRate':
      return scorePulse(value);
    case 'respiratoryRate':
      return scoreRespiratoryRate(value);
    case 'spo2':
      return scoreSpo2(value, context.onOxygen ?? false, context.spo2Scale ?? 1);
    case 'systolic':
      return scoreSystolic(value);
    case 'bodyTemperature':
      return scoreTemperature(value);
    default:
      return undefined;
  }
}

/** Flag for colouring a value (canonical unit); undefined when the vital has no NEWS2 band. */
export function flagVital(
  kind: VitalKind,
  value: number,
  context: FlagContext = {},
): AbnormalFlag | undefined {
  const score = parameterScoreOf(kind, value, context);
  return score === undefined ? undefined : FLAG_BY_SCORE[score];
}
