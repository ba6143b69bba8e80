import { describe, expect, it } from 'vitest';
import { flagVital } from '../../../shared/clinical/abnormal';

describe('flagVital', () => {
  it.each([
    ['heartRate', 40, 'high'],
    ['heartRate', 41, 'low-risk'],
    ['heartRate', 51, 'normal'],
    ['heartRate', 90, 'normal'],
    ['heartRate', 91, 'low-risk'],
    ['heartRate', 111, 'medium'],
    ['heartRate', 131, 'high'],
    ['respiratoryRate', 8, 'high'],
    ['respiratoryRate', 12, 'normal'],
    ['respiratoryRate', 21, 'medium'],
    ['spo2', 96, 'normal'],
    ['spo2', 95, 'low-risk'],
    ['spo2', 93, 'medium'],
    ['spo2', 91, 'high'],
    ['systolic', 111, 'normal'],
    ['systolic', 110, 'low-risk'],
    ['systolic', 220, 'high'],
    ['bodyTemperature', 36.1, 'normal'],
    ['bodyTemperature', 39.1, 'medium'],
    ['bodyTemperature', 35.0, 'high'],
  ] as const)('%s %d is %s', (kind, value, flag) => {
    expect(flagVital(kind, value)).toBe(flag);
  });

  it('uses scale 2 and oxygen when given', () => {
    expect(flagVital('spo2', 90, { spo2Scale: 2 })).toBe('normal');
    expect(flagVital('spo2', 97, { spo2Scale: 2, onOxygen: true })).toBe('high');
    expect(flagVital('spo2', 97, { spo2Scale: 2, onOxygen: false })).toBe('normal');
  });

  it('does not flag vitals NEWS2 does not score', () => {
    expect(flagVital('bodyWeight', 300)).toBeUndefined();
    expect(flagVital('glucose', 400)).toBeUndefined();
    expect(flagVital('diastolic', 30)).toBeUndefined();
  });
});
