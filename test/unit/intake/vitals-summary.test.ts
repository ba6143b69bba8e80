import { describe, expect, it } from 'vitest';
import { computeNews2 } from '../../../shared/clinical/news2';
import { latestByKind, news2InputOf, type Observation } from '../../../shared/records';
import { observationOf } from '../../support/observations';

function obs(partial: Partial<Observation> & Pick<Observation, 'kind'>): Observation {
  return observationOf(partial.kind, { effectiveAt: '2026-11-25T10:00:00Z', ...partial });
}
const comp = (kind: Observation['components'][number]['kind'], value: number) => ({
  kind,
  code: '',
  value,
  unit: '',
});

describe('vitals summary for NEWS2', () => {
  it('scores the newest current value of each vital and ignores values entered in error', () => {
    const list = [
      obs({ kind: 'heartRate', value: 140, effectiveAt: '2026-11-25T09:00:00Z' }),
      obs({ kind: 'heartRate', value: 72, effectiveAt: '2026-11-25T10:00:00Z' }),
      obs({
        kind: 'respiratoryRate',
        value: 30,
        status: 'entered-in-error',
        effectiveAt: '2026-11-25T11:00:00Z',
      }),
      obs({ kind: 'respiratoryRate', value: 16 }),
      obs({ kind: 'spo2', value: 95, components: [comp('inhaledOxygenFlow', 2)] }),
      obs({ kind: 'bloodPressure', components: [comp('systolic', 105), comp('diastolic', 70)] }),
      obs({ kind: 'consciousness', valueCode: 'A' }),
      obs({ kind: 'bodyTemperature', value: 38.5 }),
    ];
    const input = news2InputOf(latestByKind(list));
    expect(input).toEqual({
      respiratoryRate: 16,
      spo2: 95,
      onOxygen: true,
      systolic: 105,
      pulse: 72,
      consciousness: 'alert',
      temperature: 38.5,
    });
    const score = computeNews2(input);
    // RR 0, SpO2 95 → 1, oxygen 2, SBP 105 → 1, pulse 0, alert 0, temp 38.5 → 1.
    expect(score.complete && score.aggregate).toBe(5);
  });

  it('reports what is missing when a vital was never taken', () => {
    const input = news2InputOf(latestByKind([obs({ kind: 'heartRate', value: 80 })]));
    const score = computeNews2(input);
    expect(score.complete).toBe(false);
    if (!score.complete) expect(score.missing).toContain('temperature');
  });
});
