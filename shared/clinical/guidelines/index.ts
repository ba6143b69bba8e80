/**
 * Every guideline flag for one set of latest values, in the order the review lists them. Pure: the
 * screen maps the patient's observations to these plain numbers (and the meter's meal context).
 */
import type { News2Result } from '../news2';
import { classifyBmi } from './body-mass-index';
import { classifyBloodPressure, type BpGuideline } from './blood-pressure';
import type { GuidelineFlag } from './flag';
import { classifyGlucose, type MealContext } from './glucose';
import { classifySpo2, classifyTemperature } from './oxygen-and-fever';

export * from './flag';
export * from './blood-pressure';
export * from './glucose';
export * from './body-mass-index';
export * from './oxygen-and-fever';

export interface GuidelineInput {
  systolic?: number | undefined;
  diastolic?: number | undefined;
  glucose?: { value: number; meal: MealContext | null } | undefined;
  bmi?: number | undefined;
  spo2?: number | undefined;
  onOxygen?: boolean | undefined;
  temperature?: number | undefined;
  news2?: News2Result | undefined;
}

/** NEWS2's own escalation (RCP 2017): high band red; medium, or a 3 in one parameter, amber. */
export function news2Flag(news2: News2Result): GuidelineFlag | null {
  if (!news2.complete) return null;
  const base = { subject: 'news2', guideline: 'NEWS2 (RCP 2017)' };
  switch (news2.band) {
    case 'high':
      return { ...base, category: `High (${news2.aggregate})`, rule: 'aggregate 7 or more', level: 'red' };
    case 'medium':
      return { ...base, category: `Medium (${news2.aggregate})`, rule: 'aggregate 5–6', level: 'amber' };
    case 'low-medium':
      return {
        ...base,
        category: `Low–medium (${news2.aggregate})`,
        rule: 'a score of 3 in one parameter',
        level: 'amber',
      };
    default:
      return { ...base, category: `Low (${news2.aggregate})`, rule: 'aggregate 0–4', level: 'normal' };
  }
}

export function guidelineFlags(input: GuidelineInput, bpGuideline: BpGuideline): GuidelineFlag[] {
  const flags: GuidelineFlag[] = [];
  if (input.news2) {
    const f = news2Flag(input.news2);
    if (f) flags.push(f);
  }
  if (input.systolic !== undefined && input.diastolic !== undefined)
    flags.push(classifyBloodPressure(input.systolic, input.diastolic, bpGuideline));
  if (input.spo2 !== undefined && input.onOxygen !== undefined) {
    const f = classifySpo2(input.spo2, input.onOxygen);
    if (f) flags.push(f);
  }
  if (input.temperature !== undefined) flags.push(classifyTemperature(input.temperature));
  if (input.glucose) flags.push(classifyGlucose(input.glucose.value, input.glucose.meal));
  if (input.bmi !== undefined) flags.push(classifyBmi(input.bmi));
  return flags;
}
