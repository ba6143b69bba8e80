/**
 * Capillary glucose (mg/dL) under the ADA Standards of Care in Diabetes (2024: section 2, diagnosis;
 * section 6, glycaemic goals and hypoglycaemia):
 *
 * - Hypoglycaemia level 2: below 54 mg/dL (red); level 1: 54–69 mg/dL (amber). In any meal context.
 * - Fasting (the meter said "fasting"): 100–125 mg/dL impaired fasting glucose (prediabetes range);
 *   126 or more, diabetes range.
 * - Otherwise (random, before or after a meal, bedtime, or no meal context sent): 200 or more, diabetes
 *   range. Below that a random value is not classed: the ADA gives no random "prediabetes" band.
 */
import type { GuidelineFlag } from './flag';

/** The meal context as a glucose meter records it (Bluetooth SIG Glucose Measurement Context). */
export type MealContext = 'fasting' | 'preprandial' | 'postprandial' | 'casual' | 'bedtime';

const GUIDELINE = 'ADA Standards of Care';

/** The device note the glucose profile writes ("Meal: Fasting") read back as a meal context. */
export function mealContextFromNotes(notes: readonly string[]): MealContext | null {
  const words: Readonly<Record<string, MealContext>> = {
    'meal: fasting': 'fasting',
    'meal: before a meal': 'preprandial',
    'meal: after a meal': 'postprandial',
    'meal: casual (not timed to a meal)': 'casual',
    'meal: at bedtime': 'bedtime',
  };
  for (const note of notes) {
    const found = words[note.trim().toLowerCase()];
    if (found) return found;
  }
  return null;
}

export function classifyGlucose(mgPerDl: number, meal: MealContext | null): GuidelineFlag {
  const flag = (category: string, rule: string, level: GuidelineFlag['level']): GuidelineFlag => ({
    subject: 'glucose',
    guideline: GUIDELINE,
    category,
    rule,
    level,
  });
  if (mgPerDl < 54) return flag('Level 2 hypoglycaemia', 'below 54 mg/dL', 'red');
  if (mgPerDl < 70) return flag('Level 1 hypoglycaemia', '54–69 mg/dL', 'amber');
  if (meal === 'fasting') {
    if (mgPerDl >= 126) return flag('Fasting: diabetes range', 'fasting 126 mg/dL or more', 'amber');
    if (mgPerDl >= 100) return flag('Fasting: prediabetes range', 'fasting 100–125 mg/dL', 'info');
    return flag('Fasting: normal', 'fasting 70–99 mg/dL', 'normal');
  }
  const context = meal ? 'random (meter: not fasting)' : 'random (no meal context from the meter)';
  if (mgPerDl >= 200) return flag('Random: diabetes range', `${context}, 200 mg/dL or more`, 'amber');
  return flag('Random: below 200', `${context}, 70–199 mg/dL`, 'normal');
}
