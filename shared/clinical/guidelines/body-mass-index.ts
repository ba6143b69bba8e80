/**
 * Adult BMI category (WHO, "A healthy lifestyle – WHO recommendations", and TRS 894): underweight
 * below 18.5; normal 18.5–24.9; pre-obesity 25.0–29.9; obesity class I 30.0–34.9, class II 35.0–39.9,
 * class III 40 or more. Bands are compared on the value rounded to one decimal, as it is shown.
 */
import type { FlagLevel, GuidelineFlag } from './flag';

const BANDS: readonly { from: number; category: string; rule: string; level: FlagLevel }[] = [
  { from: -Infinity, category: 'Underweight', rule: 'BMI below 18.5', level: 'amber' },
  { from: 18.5, category: 'Normal weight', rule: 'BMI 18.5–24.9', level: 'normal' },
  { from: 25, category: 'Pre-obesity', rule: 'BMI 25.0–29.9', level: 'info' },
  { from: 30, category: 'Obesity class I', rule: 'BMI 30.0–34.9', level: 'amber' },
  { from: 35, category: 'Obesity class II', rule: 'BMI 35.0–39.9', level: 'amber' },
  { from: 40, category: 'Obesity class III', rule: 'BMI 40 or more', level: 'amber' },
];

export function classifyBmi(bmi: number): GuidelineFlag {
  const shown = Math.round(bmi * 10) / 10;
  let band = BANDS[0]!;
  for (const b of BANDS) if (shown >= b.from) band = b;
  return { subject: 'bmi', guideline: 'WHO', category: band.category, rule: band.rule, level: band.level };
}
