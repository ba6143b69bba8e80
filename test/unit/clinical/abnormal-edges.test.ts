import { describe, expect, it } from 'vitest';
import { flagVital, parameterScoreOf } from '../../../shared/clinical/abnormal';

describe('abnormal flags at their edges', () => {
  it('flags nothing for a value that is not a finite number', () => {
    expect(parameterScoreOf('heartRate', Number.NaN)).toBeUndefined();
    expect(flagVital('heartRate', Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('scale 2 without "air or oxygen" judges the saturation as on air', () => {
    // 97 % on scale 2 scores 0 on air and 3 on oxygen (RCP NEWS2 chart 2).
    expect(parameterScoreOf('spo2', 97, { spo2Scale: 2 })).toBe(0);
    expect(parameterScoreOf('spo2', 97, { spo2Scale: 2, onOxygen: true })).toBe(3);
  });
});
