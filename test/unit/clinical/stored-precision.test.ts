import { describe, expect, it } from 'vitest';
import { formatVital, formatVitalPlain, shownDecimals, toCanonical } from '../../../shared/clinical/units';
import { quantityText } from '../../../renderer/src/screens/intake/history-text';
import { VITAL_FIELDS } from '../../../renderer/src/screens/intake/vital-fields';
import type { Observation } from '../../../shared/records';

describe('a stored value is shown to the precision it was stored with', () => {
  it('shows a 0.05 kg scale’s weight whole, without noise and without padding', () => {
    expect(formatVital('bodyWeight', 72.35)).toBe('72.35 kg');
    // Bytes 7235 × 0.01 in floating point.
    expect(formatVital('bodyWeight', 7235 * 0.01)).toBe('72.35 kg');
    expect(formatVital('bodyWeight', 72.35000001)).toBe('72.35 kg');
    expect(formatVital('bodyWeight', 72.5)).toBe('72.5 kg');
    expect(formatVital('bodyWeight', 72)).toBe('72.0 kg');
    expect(formatVitalPlain('bodyWeight', 72.35)).toBe('72.35 kg');
    expect(formatVitalPlain('bodyWeight', 72.5)).toBe('72.5 kg');
    expect(formatVitalPlain('bodyWeight', 72)).toBe('72 kg');
  });

  it('does not show conversion artefacts as precision', () => {
    // Typed as 160 lb: 72.5747792 kg stored, shown to the usual tenth in kg and as typed in lb.
    const typed = toCanonical('bodyWeight', 160, '[lb_av]');
    expect(formatVital('bodyWeight', typed)).toBe('72.6 kg');
    expect(formatVital('bodyWeight', typed, '[lb_av]')).toBe('160.0 lb');
    // 72.35 kg in lb is 159.5055… lb: the usual tenth.
    expect(formatVital('bodyWeight', 72.35, '[lb_av]')).toBe('159.5 lb');
    // 69 in is exactly 175.26 cm, but a height is shown to the tenth.
    expect(formatVital('bodyHeight', toCanonical('bodyHeight', 69, '[in_i]'))).toBe('175.3 cm');
    // 5.0 mmol/L is exactly 90.08 mg/dL: glucose in whole mg/dL.
    expect(formatVital('glucose', toCanonical('glucose', 5, 'mmol/L'))).toBe('90 mg/dL');
    // 37.2 °C is exactly 98.96 °F: a temperature in °F is shown to the tenth.
    expect(formatVital('bodyTemperature', 37.2, '[degF]')).toBe('99.0 °F');
    expect(shownDecimals('heartRate', 72.4)).toBe(0);
  });

  it('shows a hundredth of a degree and a quarter litre of oxygen, but not a thousandth of a kilogram', () => {
    expect(formatVital('bodyTemperature', 36.85)).toBe('36.85 °C');
    expect(formatVital('inhaledOxygenFlow', 0.25)).toBe('0.25 L/min');
    expect(formatVital('bodyWeight', 72.355)).toBe('72.4 kg');
  });

  it('lists the stored weight in History as stored, in kg and beside a pound figure', () => {
    const field = VITAL_FIELDS.find((f) => f.kind === 'bodyWeight')!;
    // Only the fields History reads; the rest of an Observation plays no part here.
    const o = { kind: 'bodyWeight', value: 72.35, bodySite: null } as unknown as Observation;
    expect(quantityText(field, o, 'kg')).toBe('72.35 kg');
    expect(quantityText(field, o, '[lb_av]')).toBe('159.5 lb (72.35 kg)');
  });
});
