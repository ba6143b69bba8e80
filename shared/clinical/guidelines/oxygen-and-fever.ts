/**
 * Two single-value rules beside NEWS2:
 *
 * - SpO₂ below 92 % breathing room air (BTS guideline for oxygen use in healthcare, 2017: below 92 %
 *   on air needs assessment for oxygen). On supplemental oxygen this rule does not apply; NEWS2 scores it.
 * - Fever: 38.0 °C or more (NICE NG143 / CG160 threshold); 40.0 °C or more is hyperpyrexia (red).
 */
import type { GuidelineFlag } from './flag';

export function classifySpo2(percent: number, onOxygen: boolean): GuidelineFlag | null {
  if (onOxygen) return null;
  const base = { subject: 'spo2', guideline: 'BTS oxygen 2017' };
  return percent < 92
    ? { ...base, category: 'Low on room air', rule: 'SpO₂ below 92 % on air', level: 'red' }
    : { ...base, category: 'Not low on air', rule: 'SpO₂ 92 % or more on air', level: 'normal' };
}

export function classifyTemperature(celsius: number): GuidelineFlag {
  const base = { subject: 'temperature', guideline: 'NICE fever' };
  if (celsius >= 40) return { ...base, category: 'Hyperpyrexia', rule: '40.0 °C or more', level: 'red' };
  if (celsius >= 38) return { ...base, category: 'Fever', rule: '38.0 °C or more', level: 'amber' };
  return { ...base, category: 'No fever', rule: 'below 38.0 °C', level: 'normal' };
}
