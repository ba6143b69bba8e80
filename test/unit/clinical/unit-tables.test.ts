import { describe, expect, it } from 'vitest';
import { roundTo, toCanonical, unitOptions, UnsupportedUnitError } from '../../../shared/clinical/units';
import { vitalKindSchema, type VitalKind } from '../../../shared/clinical/vital-signs';

// The unit each vital may be typed in, as the entry field offers it (UCUM code, label, decimals):
// a lost or mislabelled option changes what the nurse types and how it is stored.
const OPTIONS: Record<VitalKind, [code: string, label: string, decimals: number][]> = {
  heartRate: [['/min', 'bpm', 0]],
  respiratoryRate: [['/min', 'breaths/min', 0]],
  spo2: [['%', '%', 0]],
  bodyTemperature: [
    ['Cel', '°C', 1],
    ['[degF]', '°F', 1],
  ],
  systolic: [
    ['mm[Hg]', 'mmHg', 0],
    ['kPa', 'kPa', 1],
  ],
  diastolic: [
    ['mm[Hg]', 'mmHg', 0],
    ['kPa', 'kPa', 1],
  ],
  meanArterialPressure: [
    ['mm[Hg]', 'mmHg', 0],
    ['kPa', 'kPa', 1],
  ],
  bodyWeight: [
    ['kg', 'kg', 1],
    ['[lb_av]', 'lb', 1],
  ],
  bodyHeight: [
    ['cm', 'cm', 1],
    ['[in_i]', 'in', 1],
  ],
  bmi: [['kg/m2', 'kg/m²', 1]],
  glucose: [
    ['mg/dL', 'mg/dL', 0],
    ['mmol/L', 'mmol/L', 1],
  ],
  painScore: [['{score}', '/10', 0]],
  inhaledOxygenFlow: [['L/min', 'L/min', 1]],
};

describe('unit tables', () => {
  it.each(vitalKindSchema.options)('%s offers exactly its units, canonical first', (kind) => {
    expect(unitOptions(kind).map((o) => [o.code, o.label, o.decimals])).toEqual(OPTIONS[kind]);
  });

  it('names the vital and the unit when a unit does not fit', () => {
    let error: unknown;
    try {
      toCanonical('bodyWeight', 70, 'Cel');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedUnitError);
    expect(error).toMatchObject({
      name: 'UnsupportedUnitError',
      kind: 'bodyWeight',
      unit: 'Cel',
      message: 'The unit "Cel" cannot be used for body weight.',
    });
  });

  it('rounds zero to zero (not minus zero), and leaves infinities and NaN as they are', () => {
    expect(roundTo(0, 1)).toBe(0);
    expect(roundTo(-0.04, 1)).toBe(-0);
    expect(roundTo(-0.05, 1)).toBe(-0.1);
    expect(roundTo(Number.POSITIVE_INFINITY, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(roundTo(Number.NEGATIVE_INFINITY, 0)).toBe(Number.NEGATIVE_INFINITY);
    expect(roundTo(Number.NaN, 1)).toBeNaN();
  });
});
