import { describe, expect, it } from 'vitest';
import {
  computeNews2,
  describeMissing,
  news2Band,
  scoreAirOrOxygen,
  scoreConsciousness,
  scorePulse,
  scoreRespiratoryRate,
  scoreSpo2Scale1,
  scoreSpo2Scale2,
  scoreSystolic,
  scoreTemperature,
  type News2Input,
} from '../../../shared/clinical/news2';

// Every band boundary of RCP NEWS2 chart 1 / chart 2, one value on each side.
describe('NEWS2 parameter scores', () => {
  it.each([
    [0, 3],
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
    [60, 3],
  ])('respiration rate %d /min scores %d', (value, score) => {
    expect(scoreRespiratoryRate(value)).toBe(score);
  });

  it.each([
    [50, 3],
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ])('SpO2 scale 1 %d %% scores %d', (value, score) => {
    expect(scoreSpo2Scale1(value)).toBe(score);
  });

  it.each([
    [83, false, 3],
    [84, false, 2],
    [85, false, 2],
    [86, false, 1],
    [87, false, 1],
    [88, false, 0],
    [92, false, 0],
    [93, false, 0],
    [97, false, 0],
    [100, false, 0],
    [88, true, 0],
    [92, true, 0],
    [93, true, 1],
    [94, true, 1],
    [95, true, 2],
    [96, true, 2],
    [97, true, 3],
    [100, true, 3],
    [83, true, 3],
    [84, true, 2],
  ])('SpO2 scale 2 %d %% (oxygen: %s) scores %d', (value, onOxygen, score) => {
    expect(scoreSpo2Scale2(value, onOxygen)).toBe(score);
  });

  it('air scores 0, oxygen 2', () => {
    expect(scoreAirOrOxygen(false)).toBe(0);
    expect(scoreAirOrOxygen(true)).toBe(2);
  });

  it.each([
    [60, 3],
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
    [280, 3],
  ])('systolic %d mmHg scores %d', (value, score) => {
    expect(scoreSystolic(value)).toBe(score);
  });

  it.each([
    [30, 3],
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
    [200, 3],
  ])('pulse %d /min scores %d', (value, score) => {
    expect(scorePulse(value)).toBe(score);
  });

  it.each([
    ['alert', 0],
    ['confusion', 3],
    ['voice', 3],
    ['pain', 3],
    ['unresponsive', 3],
  ] as const)('consciousness %s scores %d', (level, score) => {
    expect(scoreConsciousness(level)).toBe(score);
  });

  it.each([
    [34.2, 3],
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
    [41, 2],
  ])('temperature %d °C scores %d', (value, score) => {
    expect(scoreTemperature(value)).toBe(score);
  });

  it.each([
    ['A', 0],
    ['C', 3],
    ['V', 3],
    ['P', 3],
    ['U', 3],
  ] as const)('consciousness stored as %s scores %d', (level, score) => {
    expect(scoreConsciousness(level)).toBe(score);
  });

  it('rounds as the chart is written before banding', () => {
    expect(scorePulse(90.4)).toBe(0);
    expect(scorePulse(90.6)).toBe(1);
    expect(scoreTemperature(35.04)).toBe(3);
    expect(scoreTemperature(35.05)).toBe(1);
    expect(scoreRespiratoryRate(11.5)).toBe(0);
  });
});

describe('NEWS2 clinical-risk band', () => {
  it.each([
    [0, false, 'low'],
    [4, false, 'low'],
    [3, true, 'low-medium'],
    [4, true, 'low-medium'],
    [5, false, 'medium'],
    [6, true, 'medium'],
    [7, false, 'high'],
    [7, true, 'high'],
    [15, true, 'high'],
  ] as const)('aggregate %d (single 3: %s) is %s', (aggregate, three, band) => {
    expect(news2Band(aggregate, three)).toBe(band);
  });
});

const healthy: Required<News2Input> = {
  respiratoryRate: 16,
  spo2: 98,
  onOxygen: false,
  systolic: 120,
  pulse: 70,
  consciousness: 'alert',
  temperature: 36.8,
  spo2Scale: 1,
};

describe('computeNews2', () => {
  it('scores a healthy adult 0, low risk', () => {
    const result = computeNews2(healthy);
    expect(result).toMatchObject({ complete: true, aggregate: 0, band: 'low' });
  });

  it('sums the seven scores', () => {
    // RR 22 → 2, SpO2 94 → 1, oxygen → 2, SBP 105 → 1, pulse 115 → 2, alert → 0, 38.5 → 1: 9.
    const result = computeNews2({
      ...healthy,
      respiratoryRate: 22,
      spo2: 94,
      onOxygen: true,
      systolic: 105,
      pulse: 115,
      temperature: 38.5,
    });
    expect(result.complete).toBe(true);
    if (!result.complete) return;
    expect(result.scores).toEqual({
      respiratoryRate: 2,
      spo2: 1,
      airOrOxygen: 2,
      systolic: 1,
      pulse: 2,
      consciousness: 0,
      temperature: 1,
    });
    expect(result.aggregate).toBe(9);
    expect(result.band).toBe('high');
  });

  it('a single 3 with a low aggregate is low–medium', () => {
    const result = computeNews2({ ...healthy, consciousness: 'confusion' });
    expect(result).toMatchObject({ complete: true, aggregate: 3, band: 'low-medium' });
  });

  it('aggregate 5 is medium', () => {
    // oxygen 2 + RR 22 → 2 + pulse 95 → 1
    const result = computeNews2({ ...healthy, onOxygen: true, respiratoryRate: 22, pulse: 95 });
    expect(result).toMatchObject({ complete: true, aggregate: 5, band: 'medium' });
  });

  it('uses scale 2 when chosen: 90 % on air scores 0 there and 3 on scale 1', () => {
    expect(computeNews2({ ...healthy, spo2: 90 })).toMatchObject({ aggregate: 3, band: 'low-medium' });
    expect(computeNews2({ ...healthy, spo2: 90, spo2Scale: 2 })).toMatchObject({
      aggregate: 0,
      band: 'low',
      spo2Scale: 2,
    });
    // 97 % on oxygen on scale 2: 3 for saturation + 2 for oxygen.
    expect(computeNews2({ ...healthy, spo2: 97, onOxygen: true, spo2Scale: 2 })).toMatchObject({
      aggregate: 5,
    });
  });

  it('shows no aggregate and lists what is missing', () => {
    const result = computeNews2({ respiratoryRate: 16, spo2: 97, systolic: 120 });
    expect(result.complete).toBe(false);
    expect(result).not.toHaveProperty('aggregate');
    if (result.complete) return;
    expect(result.missing).toEqual(['airOrOxygen', 'pulse', 'consciousness', 'temperature']);
    expect(result.scores).toEqual({ respiratoryRate: 0, spo2: 0, systolic: 0 });
    expect(describeMissing(result.missing)).toBe(
      'NEWS2 needs every parameter. Missing: air or oxygen, pulse, consciousness, temperature.',
    );
  });

  it('on scale 2 a saturation waiting for air/oxygen is not itself missing', () => {
    const { onOxygen: _omit, ...rest } = healthy;
    const result = computeNews2({ ...rest, spo2Scale: 2 });
    expect(result.complete).toBe(false);
    if (result.complete) return;
    expect(result.missing).toEqual(['airOrOxygen']);
  });

  it('treats a non-finite value as missing', () => {
    const result = computeNews2({ ...healthy, pulse: Number.NaN });
    expect(result).toMatchObject({ complete: false, missing: ['pulse'] });
  });
});
