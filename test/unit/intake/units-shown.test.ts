/**
 * A height typed in feet and inches on the card, and values in History in the nurse's unit beside the
 * stored one ("187 lb (84.8 kg)"), so what was typed and what was kept can both be checked.
 */
import { describe, expect, it } from 'vitest';
import { quantityText as historyText } from '../../../renderer/src/screens/intake/history-text';
import {
  checkDraft,
  entryUnits,
  VITAL_FIELDS,
  type Draft,
} from '../../../renderer/src/screens/intake/vital-fields';
import { observationOf } from '../../support/observations';

const field = (kind: string) => VITAL_FIELDS.find((f) => f.kind === kind)!;
const draft = (value: string, unit: string): Draft => ({
  value,
  second: '',
  unit,
  site: '',
  onOxygen: false,
  flow: '',
  code: '',
});

describe('units on the card and in History', () => {
  it('offers feet and inches for height only', () => {
    expect(entryUnits('bodyHeight').map((u) => u.code)).toEqual(['cm', '[in_i]', 'ft+in']);
    expect(entryUnits('bodyWeight').map((u) => u.code)).toEqual(['kg', '[lb_av]']);
  });

  it('stores a height typed in feet and inches in cm, and refuses what is not one', () => {
    const checked = checkDraft(field('bodyHeight'), draft(`5' 9"`, 'ft+in'));
    expect(checked.ok && checked.value.value).toBeCloseTo(175.26, 10);
    expect(checkDraft(field('bodyHeight'), draft('69', 'ft+in'))).toEqual({
      ok: false,
      message: 'Enter the height in feet and inches, such as 5 ft 9 in.',
    });
    expect(checkDraft(field('bodyHeight'), draft('5 ft 12 in', 'ft+in')).ok).toBe(false);
    // Plausibility still applies to what it means: 9 ft is 274.3 cm, above the 260 cm limit.
    expect(checkDraft(field('bodyHeight'), draft('9 ft', 'ft+in'))).toMatchObject({ ok: false });
    expect(checkDraft(field('bodyHeight'), draft('8 ft 6 in', 'ft+in')).ok).toBe(true);
    const inches = checkDraft(field('bodyHeight'), draft('69', '[in_i]'));
    expect(inches.ok && inches.value.value).toBeCloseTo(175.26, 10);
  });

  it('shows the value in the nurse’s unit and, when different, in the stored one', () => {
    const weight = observationOf('bodyWeight', { value: 84.821773, unit: 'kg' });
    expect(historyText(field('bodyWeight'), weight, '[lb_av]')).toBe('187 lb (84.8 kg)');
    expect(historyText(field('bodyWeight'), weight, 'kg')).toBe('84.8 kg');
    const height = observationOf('bodyHeight', { value: 175.26, unit: 'cm' });
    expect(historyText(field('bodyHeight'), height, 'ft+in')).toBe('5 ft 9 in (175.3 cm)');
    expect(historyText(field('bodyHeight'), height, '[in_i]')).toBe('69 in (175.3 cm)');
    const glucose = observationOf('glucose', { value: 99, unit: 'mg/dL' });
    expect(historyText(field('glucose'), glucose, 'mmol/L')).toBe('5.5 mmol/L (99 mg/dL)');
    const temperature = observationOf('bodyTemperature', { value: 37.2, unit: 'Cel', bodySite: 'oral' });
    expect(historyText(field('bodyTemperature'), temperature, '[degF]')).toBe('99 °F (37.2 °C), oral');
  });
});
